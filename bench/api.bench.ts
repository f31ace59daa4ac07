// The API under load: job submissions per second and their latency at 50 concurrent clients on loopback,
// on embedded PGlite and on PostgreSQL, through the whole service (HTTP, auth, validation, admission,
// store with its audit chain, control loop) on the default facility. The service runs as `fjord serve` in
// a process of its own, as in production, so the load generator does not share its event loop. /healthz
// under the same load is the baseline in the same run: what the HTTP stack alone gives on this machine.
//
// Environment: FJORD_BENCH_API_SECONDS (seconds per measurement, default 10), FJORD_BENCH_API_WARMUP_SECONDS
// (untimed submissions before the measured ones, default 3), FJORD_BENCH_POSTGRES_URL
// (admin URL of a PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres; the suite
// creates and drops a database of its own there).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { savedKeys, spawnService } from "../test/support/service.ts";
import { envInt, report } from "./harness.ts";
import { FACILITY_FILE, POLICY_FILE } from "./scenario.ts";

const CONNECTIONS = 50;

export async function apiBench(): Promise<void> {
  const seconds = envInt("FJORD_BENCH_API_SECONDS", 10);
  const warmupSeconds = envInt("FJORD_BENCH_API_WARMUP_SECONDS", 3);
  await measureBackend("pglite", [], seconds, warmupSeconds);
  const adminUrl = process.env.FJORD_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabase(adminUrl);
  if (database === null) {
    console.warn(`api bench: no PostgreSQL at ${adminUrl}; the PostgreSQL figures are missing`);
    return;
  }
  try {
    await measureBackend("postgres", ["--database-url", database.url], seconds, warmupSeconds);
  } finally {
    await database.drop();
  }
}

async function measureBackend(
  name: string,
  args: string[],
  seconds: number,
  warmupSeconds: number,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fjord-bench-api-"));
  const service = await spawnService([
    "--facility",
    FACILITY_FILE,
    "--policy",
    POLICY_FILE,
    "--data-dir",
    dir,
    "--rate-limit",
    "100000000",
    ...args,
  ]);
  try {
    const { url } = service;
    const key = savedKeys(dir).find((k) => k.role === "operator")!.key;
    const baseline = await autocannon({ url: `${url}/healthz`, connections: CONNECTIONS, duration: seconds });
    report(`api.${name}.healthz.requests_per_s`, baseline.requests.average, "req/s");
    report(`api.${name}.healthz.latency_p99`, baseline.latency.p99, "ms");

    const tenants = loadPolicyFile(POLICY_FILE).tenants.map((t) => t.id);
    let n = 0;
    const submit = (duration: number) =>
      autocannon({
        url,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: "POST",
            path: "/v1/jobs",
            setupRequest: (request) => {
              n += 1;
              return {
                ...request,
                headers: {
                  authorization: `Bearer ${key}`,
                  "content-type": "application/json",
                  "idempotency-key": `bench-${n}`,
                },
                body: JSON.stringify({
                  tenant: tenants[n % tenants.length],
                  gpus: 1 + (n % 8),
                  estimatedRuntimeS: 3600 * (1 + (n % 24)),
                }),
              };
            },
          },
        ],
      });
    // Untimed first: the JIT compiles the submission path and the key's first verification is cached, as
    // in a service that has been up for a while. The measured run then starts on a facility filling up.
    if (warmupSeconds > 0) await submit(warmupSeconds);
    const submissions = await submit(seconds);
    const created = submissions["2xx"];
    report(`api.${name}.submit.requests_per_s`, submissions.requests.average, "req/s");
    report(`api.${name}.submit.created_per_s`, created / submissions.duration, "jobs/s");
    report(`api.${name}.submit.latency_p50`, submissions.latency.p50, "ms");
    report(`api.${name}.submit.latency_p99`, submissions.latency.p99, "ms");
    report(`api.${name}.submit.non_2xx`, submissions.non2xx + submissions.errors, "responses");
    report(
      `api.${name}.submit.vs_healthz`,
      submissions.requests.average / baseline.requests.average,
      "ratio",
    );

    // The API while the control loop works through what was just submitted: a facility filling up and,
    // on PostgreSQL, a queue of tens of thousands of jobs, with a full pass every 5 s. A pass on the API's
    // own thread would show here as its duration in the worst latency.
    const queue = (await (
      await fetch(`${url}/v1/queue?limit=1`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { tiers: { waitingCount: number }[] };
    report(
      `api.${name}.after_submit.queued_jobs`,
      queue.tiers.reduce((sum, t) => sum + t.waitingCount, 0),
      "jobs",
    );
    const during = await autocannon({ url: `${url}/healthz`, connections: 10, duration: 11 });
    report(`api.${name}.after_submit.healthz_latency_p99`, during.latency.p99, "ms");
    report(`api.${name}.after_submit.healthz_latency_max`, during.latency.max, "ms");
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `fjord_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
