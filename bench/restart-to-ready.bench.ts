// Restart to ready in a reclaim storm: a store holding ~30,000 queued and ~4,000 running jobs (the
// scenario of reclaim-storm-scenario.ts), and `node bin/fjord.js serve` started on it as an operator would.
// Timed from the spawn: the first answer of /healthz, and /readyz answering 200 (the jobs are loaded into
// the scheduler thread; the first pass runs after that). Each restart starts from a copy of the same
// seeded database, then is stopped with SIGTERM, whose drain is timed too.
//
// Environment: FJORD_BENCH_STORM_QUEUED and FJORD_BENCH_STORM_RUNNING (default 30,000 and 4,000),
// FJORD_BENCH_RESTARTS (default 3), FJORD_BENCH_POSTGRES_URL (admin URL of a PostgreSQL server: when set,
// the service runs there, in databases this suite creates and drops; otherwise on embedded PGlite).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Job } from "../src/model/types.ts";
import { jobDraft, startDraft } from "../src/service/audit-drafts.ts";
import { CLOCK_KEY } from "../src/service/live-control-plane.ts";
import { openStore } from "../src/store/open-store.ts";
import { queuedRecord } from "../src/store/records.ts";
import type { Store } from "../src/store/store.ts";
import { envInt, median, report } from "./harness.ts";
import { type ReclaimStormScenario, reclaimStormScenario } from "./reclaim-storm-scenario.ts";
import type { BenchContext } from "./scenario.ts";
import { FACILITY_FILE, POLICY_FILE } from "./scenario.ts";

/** How long one restart may take before the suite gives up on it. */
const GIVE_UP_MS = 10 * 60_000;
const POLL_MS = 10;

export async function restartToReadyBench(_ctx: BenchContext): Promise<void> {
  const queued = envInt("FJORD_BENCH_STORM_QUEUED", 30_000);
  const running = envInt("FJORD_BENCH_STORM_RUNNING", 4_000);
  const restarts = envInt("FJORD_BENCH_RESTARTS", 3);
  const scenario = reclaimStormScenario({ queued, running });
  const adminUrl = process.env.FJORD_BENCH_POSTGRES_URL;
  const backend = adminUrl ? await postgresBackend(adminUrl) : pgliteBackend();
  console.log(
    `restart-to-ready: ${scenario.queued.length} queued, ${scenario.running.length} running, on ${backend.name}`,
  );
  try {
    const seedBegan = performance.now();
    const store = await openStore(backend.storeOptions);
    try {
      await seed(store, scenario);
    } finally {
      await store.close();
    }
    report("service.restart_to_ready.seed", (performance.now() - seedBegan) / 1000, "s");

    const firstAnswerS: number[] = [];
    const readyS: number[] = [];
    const drainS: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const copy = await backend.copy();
      try {
        const run = await restart(copy.args);
        firstAnswerS.push(run.firstAnswerS);
        readyS.push(run.readyS);
        drainS.push(run.drainS);
        console.log(
          `restart-to-ready: run ${i + 1}: /healthz after ${run.firstAnswerS.toFixed(2)} s, ready after ` +
            `${run.readyS.toFixed(2)} s, SIGTERM drained in ${run.drainS.toFixed(2)} s`,
        );
      } finally {
        await copy.drop();
      }
    }
    report("service.first_answer.reclaim_storm", median(firstAnswerS), "s");
    report("service.restart_to_ready.reclaim_storm", median(readyS), "s");
    report("service.sigterm_drain.reclaim_storm", median(drainS), "s");
  } finally {
    await backend.drop();
  }
}

interface Backend {
  name: string;
  storeOptions: { dataDir?: string; databaseUrl?: string };
  /** A copy of the seeded database for one restart, and the `fjord serve` arguments that open it. */
  copy(): Promise<{ args: string[]; drop(): Promise<void> }>;
  drop(): Promise<void>;
}

function pgliteBackend(): Backend {
  const root = mkdtempSync(join(tmpdir(), "fjord-bench-restart-"));
  const seeded = join(root, "seeded");
  let copies = 0;
  return {
    name: "embedded PGlite",
    storeOptions: { dataDir: join(seeded, "db") },
    copy: async () => {
      const dataDir = join(root, `run-${++copies}`);
      cpSync(seeded, dataDir, { recursive: true });
      return {
        args: ["--data-dir", dataDir],
        drop: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
    drop: async () => rmSync(root, { recursive: true, force: true }),
  };
}

async function postgresBackend(adminUrl: string): Promise<Backend> {
  const prefix = `fjord_bench_restart_${randomBytes(4).toString("hex")}`;
  const seeded = `${prefix}_seeded`;
  const urlOf = (database: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${seeded}`);
  let copies = 0;
  // The data directory still holds the first start's API keys file; nothing else is written there.
  const dataDir = mkdtempSync(join(tmpdir(), "fjord-bench-restart-"));
  return {
    name: "PostgreSQL",
    storeOptions: { databaseUrl: urlOf(seeded) },
    copy: async () => {
      const database = `${prefix}_run_${++copies}`;
      await admin(`create database ${database} template ${seeded}`);
      return {
        args: ["--database-url", urlOf(database), "--data-dir", dataDir],
        drop: () => admin(`drop database if exists ${database} with (force)`),
      };
    },
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await admin(`drop database if exists ${seeded} with (force)`);
    },
  };
}

/** The scenario's tenants, its running jobs (submitted, then started where it placed them) and its queue. */
async function seed(store: Store, scenario: ReclaimStormScenario): Promise<void> {
  const { facility, running, queued, nowMs } = scenario;
  for (const tenant of scenario.policy.tenants)
    await store.putTenant(tenant, nowMs, {
      atMs: nowMs,
      actor: "system",
      action: "policy.change",
      tenantId: tenant.id,
      objectType: "tenant",
      objectId: tenant.id,
      details: { before: null, after: tenant, source: "bench" },
    });
  const submit = (job: Job) =>
    store.submitJob(
      queuedRecord(job, "bench", null),
      jobDraft(job.submittedAtMs, "bench", "job.submit", job),
    );
  // Concurrent submissions share commits (the store groups them), which keeps seeding to seconds.
  for (const batch of chunks([...running.map((r) => r.job), ...queued], 2_000))
    await Promise.all(batch.map(submit));
  for (const batch of chunks(running, 500))
    await store.transition(
      batch.map((r) => ({
        kind: "start" as const,
        jobId: r.job.id,
        atMs: r.startedAtMs,
        allocation: r.allocation,
        audit: startDraft(r.startedAtMs, facility, r.job, {
          jobId: r.job.id,
          allocation: r.allocation,
          borrowing: true,
          backfilled: false,
          preempted: [],
        }),
      })),
    );
  // The restarted service's clock carries on from the scenario's now, as after a real stop.
  await store.setValue(CLOCK_KEY, nowMs);
}

interface Restart {
  firstAnswerS: number;
  readyS: number;
  drainS: number;
}

/** Starts `fjord serve` on the copy, waits for /healthz and /readyz, then stops it with SIGTERM. */
async function restart(args: string[]): Promise<Restart> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child = spawn(
    process.execPath,
    [
      "bin/fjord.js",
      "serve",
      ...["--port", String(port), "--no-log", "--facility", FACILITY_FILE, "--policy", POLICY_FILE],
      ...args,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  try {
    const gone = () => exitCode !== undefined;
    await until(`${url}/healthz`, gone);
    const firstAnswerS = (performance.now() - began) / 1000;
    await until(`${url}/readyz`, gone);
    const readyS = (performance.now() - began) / 1000;
    const stopBegan = performance.now();
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) throw new Error(`fjord serve exited with ${code} on SIGTERM:\n${stderr}`);
    return { firstAnswerS, readyS, drainS: (performance.now() - stopBegan) / 1000 };
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
}

/** Polls `url` until it answers 200; fails if the process exits or GIVE_UP_MS passes. */
async function until(url: string, gone: () => boolean): Promise<void> {
  const deadline = performance.now() + GIVE_UP_MS;
  while (performance.now() < deadline) {
    if (gone()) throw new Error(`fjord serve exited before ${url} answered 200`);
    const status = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => res.status,
      () => null,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${url} did not answer 200 within ${GIVE_UP_MS / 1000} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
