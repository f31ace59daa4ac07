// A crash in the middle of a burst of submissions loses nothing that was acknowledged and invents nothing
// that was refused: 1,000 concurrent submissions from 50 tenants, SIGKILL of the server partway through,
// a restart on the same database, clients retrying what got no answer with the same Idempotency-Key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyStoreChain } from "../src/audit/verify-store.ts";
import { openStore } from "../src/store/open-store.ts";
import { freshPostgresDatabase } from "./support/postgres.ts";
import { type SavedKey, savedKeys, spawnService } from "./support/service.ts";

const TENANTS = 50;
const SUBMISSIONS = 1000;
/** The server is killed once this many submissions have been answered. */
const KILL_AFTER = 300;

const postgresUrl = await freshPostgresDatabase();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function policyWithTenants(): string {
  const tenants = Array.from(
    { length: TENANTS },
    (_, i) =>
      `  - { id: t${String(i).padStart(2, "0")}, name: Tenant ${i}, tier: ${i % 2 ? "global" : "research"} }`,
  );
  return [
    "tiers:",
    "  - { id: research, guaranteed: { share: 0.5 }, borrowingLimit: null, reclaimByPreemption: true }",
    "  - { id: global, guaranteed: { share: 0.1 }, borrowingLimit: null, reclaimByPreemption: false }",
    "tenants:",
    ...tenants,
    "fairShare: { halfLife: 7d }",
    "backfill: { reservationDepth: 4 }",
    "",
  ].join("\n");
}

/** Every 20th submission asks for more GPUs than the facility has: refused with 422, never stored. */
function submission(i: number): { body: Record<string, unknown>; valid: boolean } {
  const valid = i % 20 !== 7;
  return { body: { gpus: valid ? 1 + (i % 4) : 10_000, estimatedRuntimeS: 7200, name: `burst-${i}` }, valid };
}

type Outcome = { status: number; jobId: string | null } | { error: string };

async function submit(url: string, key: SavedKey, i: number): Promise<Outcome> {
  try {
    const res = await fetch(`${url}/v1/jobs`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key.key}`,
        "content-type": "application/json",
        "idempotency-key": `burst-${i}`,
      },
      body: JSON.stringify(submission(i).body),
    });
    const body = (await res.json()) as { id?: string };
    return { status: res.status, jobId: body.id ?? null };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function allJobs(
  url: string,
  operator: SavedKey,
): Promise<{ id: string; state: string; gpus: number }[]> {
  const jobs: { id: string; state: string; gpus: number }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await fetch(`${url}/v1/jobs?limit=500${query}`, {
      headers: { authorization: `Bearer ${operator.key}` },
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      items: { id: string; state: string; gpus: number }[];
      nextCursor: string | null;
    };
    jobs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return jobs;
}

const backends = [
  { name: "PGlite", args: (dir: string) => ["--data-dir", dir], url: null as string | null },
  ...(postgresUrl === null
    ? []
    : [
        {
          name: "PostgreSQL",
          args: (dir: string) => ["--data-dir", dir, "--database-url", postgresUrl],
          url: postgresUrl,
        },
      ]),
];

describe.each(backends)("a server killed mid-burst on $name", (backend) => {
  it("keeps every acknowledged submission exactly once, none that was refused, and a consistent state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fjord-crash-"));
    dirs.push(dir);
    const policyFile = join(dir, "policy.yaml");
    writeFileSync(policyFile, policyWithTenants());
    const args = [
      "--facility",
      "facilities/small-two-sites.yaml",
      "--policy",
      policyFile,
      ...backend.args(dir),
    ];

    const began = Date.now();
    const phase = (name: string) => console.info(`${backend.name}: ${name} after ${Date.now() - began} ms`);
    const first = await spawnService(args);
    phase("first start");
    const keys = savedKeys(dir);
    const operator = keys.find((k) => k.role === "operator")!;
    const tenantKeys = keys.filter((k) => k.role === "tenant-admin");
    expect(tenantKeys).toHaveLength(TENANTS);

    let answered = 0;
    const outcomes = await Promise.all(
      Array.from({ length: SUBMISSIONS }, async (_, i) => {
        const outcome = await submit(first.url, tenantKeys[i % TENANTS]!, i);
        if ("status" in outcome && ++answered === KILL_AFTER) first.child.kill("SIGKILL");
        return outcome;
      }),
    );
    await first.stop();
    phase("burst and kill");
    const cutOff = outcomes.filter((o) => "error" in o).length;
    // The kill must really land mid-burst, or this test checks nothing about crashes.
    expect(answered).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(cutOff).toBeGreaterThan(0);

    const second = await spawnService(args);
    phase("restart");
    try {
      const acknowledged = new Map<number, string>();
      for (const [i, o] of outcomes.entries()) {
        if ("error" in o) continue;
        if (submission(i).valid) {
          expect([200, 201]).toContain(o.status);
          acknowledged.set(i, o.jobId!);
        } else expect(o.status).toBe(422);
      }
      // Clients retry what got no answer, with the same key: at most one job each, whatever happened.
      const retried = new Map<number, string>();
      const unanswered = [...outcomes.keys()].filter((i) => "error" in outcomes[i]!);
      const retries = await Promise.all(
        unanswered.map(async (i) => ({ i, again: await submit(second.url, tenantKeys[i % TENANTS]!, i) })),
      );
      for (const { i, again } of retries) {
        if (!("status" in again)) throw new Error(`retry ${i} failed: ${again.error}`);
        if (submission(i).valid) {
          expect([200, 201]).toContain(again.status);
          retried.set(i, again.jobId!);
        } else expect(again.status).toBe(422);
      }

      phase("retries");
      const jobs = await allJobs(second.url, operator);
      const ids = jobs.map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      const validCount = Array.from({ length: SUBMISSIONS }, (_, i) => submission(i).valid).filter(
        Boolean,
      ).length;
      expect(jobs).toHaveLength(validCount);
      for (const id of [...acknowledged.values(), ...retried.values()]) expect(ids).toContain(id);

      // Allocations agree with the jobs that run: occupancy counts exactly the running jobs' GPUs.
      const occupancy = (await (
        await fetch(`${second.url}/v1/facility/occupancy`, {
          headers: { authorization: `Bearer ${operator.key}` },
        })
      ).json()) as { sites: { allocatedGpus: number; gpus: number }[] };
      const allocated = occupancy.sites.reduce((sum, s) => sum + s.allocatedGpus, 0);
      const runningGpus = jobs.filter((j) => j.state === "running").reduce((sum, j) => sum + j.gpus, 0);
      expect(allocated).toBe(runningGpus);
      expect(allocated).toBeGreaterThan(0);
      expect(allocated).toBeLessThanOrEqual(occupancy.sites.reduce((sum, s) => sum + s.gpus, 0));
    } finally {
      expect(await second.stop()).toBe(0);
    }

    // The audit chain survived the crash intact.
    const store = await openStore({
      databaseUrl: backend.url,
      dataDir: backend.url ? null : join(dir, "db"),
    });
    try {
      const verdict = await verifyStoreChain(store);
      expect(verdict).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });
});
