import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPGliteBackend, type TestBackend } from "../../test/support/test-backends.ts";
import {
  cancel,
  draft,
  finish,
  gpus,
  queued,
  requeue,
  start,
  T0,
  testJob,
} from "../../test/support/test-records.ts";
import { verifyStoreChain } from "../audit/verify-store.ts";
import { gpuCount } from "./job-lifecycle.ts";
import type { JobRecord } from "./records.ts";
import { DuplicateJobError, type JobTransition } from "./store.ts";
import { GpuAlreadyHeldError } from "./store-errors.ts";

// Every case runs dozens of transactions, so this runs a twentieth of the cases the pure property tests do.
const RUNS = Math.max(5, Math.round(Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 20));

// Few jobs and GPUs, so transitions usually find their job in some state and starts often collide.
const JOB_IDS = ["j0", "j1", "j2", "j3"];
const GPU_POOL: [string, number][] = [
  ["n0", 0],
  ["n0", 1],
  ["n1", 0],
  ["n1", 1],
];

type Step =
  | { kind: "submit"; jobId: string; tenantId: string; key: string | null }
  | { kind: "transition"; list: { kind: JobTransition["kind"]; jobId: string; gpus: [string, number][] }[] };

const jobId = fc.constantFrom(...JOB_IDS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("submit" as const),
    jobId,
    tenantId: fc.constantFrom("a", "b"),
    key: fc.option(fc.constantFrom("k1", "k2"), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("transition" as const),
    list: fc.array(
      fc.record({
        kind: fc.constantFrom("start", "start", "finish", "requeue", "cancel"),
        jobId,
        // Occasionally the same GPU twice in one allocation.
        gpus: fc.oneof(
          { weight: 9, arbitrary: fc.subarray(GPU_POOL, { minLength: 1, maxLength: 2 }) },
          { weight: 1, arbitrary: fc.constantFrom(...GPU_POOL).map((g): [string, number][] => [g, g]) },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

function transitionOf(t: Extract<Step, { kind: "transition" }>["list"][number], atMs: number): JobTransition {
  switch (t.kind) {
    case "start":
      return start(t.jobId, atMs, gpus(...t.gpus));
    case "finish":
      return finish(t.jobId, atMs);
    case "requeue":
      return requeue(t.jobId, atMs);
    case "cancel":
      return cancel(t.jobId, atMs);
  }
}

describe("store invariants under random submissions and transitions", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await openPGliteBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  const allJobs = async () => (await backend.store.listJobs({ limit: 1000 })).items;

  it("never loses an accepted job, never lets a GPU be held twice or by a job not running, and keeps the chain valid", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        await backend.reset();
        const store = backend.store;
        const accepted = new Set<string>();
        let audited = 0;
        for (const [i, s] of steps.entries()) {
          const atMs = T0 + i * 1000;
          if (s.kind === "submit") {
            const record = queued(testJob(s.jobId, s.tenantId, atMs), s.key);
            try {
              const { created } = await store.submitJob(
                record,
                draft("job.submit", s.jobId, atMs, s.tenantId),
              );
              if (created) {
                accepted.add(s.jobId);
                audited += 1;
              }
            } catch (err) {
              expect(err).toBeInstanceOf(DuplicateJobError);
              expect(accepted.has(s.jobId)).toBe(true);
            }
            continue;
          }
          const before = await allJobs();
          try {
            const outcome = await store.transition(s.list.map((t) => transitionOf(t, atMs)));
            expect(outcome.applied.length + outcome.skipped.length).toBe(s.list.length);
            audited += outcome.applied.length;
          } catch (err) {
            expect(err).toBeInstanceOf(GpuAlreadyHeldError);
            expect(await allJobs()).toEqual(before);
          }
        }

        const jobs = await allJobs();
        expect(new Set(jobs.map((r) => r.job.id))).toEqual(accepted);
        await expectGpusHeldByRunningJobsOnly(backend, jobs);
        await expectRunsAddUp(backend, jobs);
        expect(await verifyStoreChain(store, 7)).toMatchObject({ ok: true, entries: audited });
      }),
      { numRuns: RUNS },
    );
  });
});

/** The GPU rows are exactly the allocations of the running jobs. */
async function expectGpusHeldByRunningJobsOnly(backend: TestBackend, jobs: JobRecord[]): Promise<void> {
  const rows = await backend.sql("select node_id, gpu_index, job_id from gpu_allocations order by 1, 2");
  const expected = jobs
    .filter((r) => r.state === "running")
    .flatMap((r) =>
      r.allocation!.nodes.flatMap((n) =>
        n.gpus.map((g) => ({ node_id: n.nodeId, gpu_index: g, job_id: r.job.id })),
      ),
    )
    .sort((x, y) => x.node_id.localeCompare(y.node_id) || x.gpu_index - y.gpu_index);
  expect(rows).toEqual(expected);
}

/** Each job's charged GPU-seconds are its ended runs; a running job has exactly one open run. */
async function expectRunsAddUp(backend: TestBackend, jobs: JobRecord[]): Promise<void> {
  const runs = await backend.sql("select job_id, gpus, started_at_ms, ended_at_ms from job_runs");
  for (const record of jobs) {
    const own = runs.filter((r) => r.job_id === record.job.id);
    const ended = own.filter((r) => r.ended_at_ms !== null);
    const charged = ended.reduce(
      (sum, r) =>
        sum + ((r.gpus as number) * ((r.ended_at_ms as number) - (r.started_at_ms as number))) / 1000,
      0,
    );
    expect(charged).toBeCloseTo(record.gpuSecondsUsed, 6);
    expect(own.length - ended.length).toBe(record.state === "running" ? 1 : 0);
    if (record.state === "running")
      expect(own.find((r) => r.ended_at_ms === null)?.gpus).toBe(gpuCount(record.allocation!));
  }
}
