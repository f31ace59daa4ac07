// The API under load: job submissions per second and their latency at 50 concurrent clients on loopback,
// on embedded PGlite and on PostgreSQL, through the whole service (HTTP, auth, validation, admission,
// store with its audit chain, control loop) on the default facility. /healthz under the same load is the
// baseline in the same run: what the HTTP stack alone gives on this machine.
//
// Environment: FJORD_BENCH_API_SECONDS (seconds per measurement, default 10), FJORD_BENCH_POSTGRES_URL
// (admin URL of a PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres; the suite
// creates and drops a database of its own there).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createApiKey } from "../src/api/auth/api-keys.ts";
import { buildApi } from "../src/api/build-api.ts";
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { startControlPlane } from "../src/service/start-control-plane.ts";
import { openStore } from "../src/store/open-store.ts";
import type { Store } from "../src/store/store.ts";
import { envInt, report } from "./harness.ts";
import { FACILITY_FILE, POLICY_FILE } from "./scenario.ts";

const CONNECTIONS = 50;

export async function apiBench(): Promise<void> {
  const seconds = envInt("FJORD_BENCH_API_SECONDS", 10);
  const dir = mkdtempSync(join(tmpdir(), "fjord-bench-api-"));
  try {
    await measureBackend("pglite", () => openStore({ dataDir: join(dir, "db") }), seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const adminUrl = process.env.FJORD_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabase(adminUrl);
  if (database === null) {
    console.warn(`api bench: no PostgreSQL at ${adminUrl}; the PostgreSQL figures are missing`);
    return;
  }
  try {
    await measureBackend("postgres", () => openStore({ databaseUrl: database.url }), seconds);
  } finally {
    await database.drop();
  }
}

async function measureBackend(name: string, open: () => Promise<Store>, seconds: number): Promise<void> {
  const store = await open();
  const facility = loadFacilityFile(FACILITY_FILE);
  const policy = loadPolicyFile(POLICY_FILE);
  const controlPlane = await startControlPlane({ store, facility, policy });
  const { key, record } = createApiKey({
    tenantId: null,
    role: "operator",
    name: "bench",
    atMs: controlPlane.nowMs(),
    rateLimitPerMin: 10_000_000,
  });
  await store.insertApiKey(record, {
    atMs: controlPlane.nowMs(),
    actor: "system",
    action: "api-key.create",
    tenantId: null,
    objectType: "api-key",
    objectId: record.id,
    details: {},
  });
  const app = buildApi({ controlPlane, logger: false });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  try {
    const baseline = await autocannon({ url: `${url}/healthz`, connections: CONNECTIONS, duration: seconds });
    report(`api.${name}.healthz.requests_per_s`, baseline.requests.average, "req/s");
    report(`api.${name}.healthz.latency_p99`, baseline.latency.p99, "ms");

    const tenants = policy.tenants.map((t) => t.id);
    let n = 0;
    const submissions = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
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
  } finally {
    await app.close();
    await controlPlane.stop();
    await store.close();
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
