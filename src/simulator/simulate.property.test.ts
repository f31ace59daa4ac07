// Invariants of a simulation over random facilities, policies, workloads and failures.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import { checkRun } from "./check-run.ts";
import { simulate } from "./simulate.ts";
import type { SimJob } from "./types.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

const scenarioArb = fc.record({
  situation: situationArb,
  runtimeShare: fc.array(fc.double({ min: 0.05, max: 1.5, noNaN: true }), { minLength: 30, maxLength: 30 }),
  mtbfS: fc.option(fc.integer({ min: 2_000, max: 200_000 }), { nil: null }),
  seed: fc.nat(),
});

describe("simulation invariants (property-based)", () => {
  it("loses no accepted job, conserves work, never holds more GPUs than are up, and passes the run check", () => {
    fc.assert(
      fc.property(scenarioArb, ({ situation: s, runtimeShare, mtbfS, seed }) => {
        const workload: SimJob[] = s.queue.map((job, k) => ({
          job,
          runtimeS: Math.max(1, Math.round(job.estimatedRuntimeS * runtimeShare[k % runtimeShare.length]!)),
        }));
        const reliability =
          mtbfS === null ? [] : s.facility.nodeTypes.map((t) => ({ nodeTypeId: t.id, mtbfS, repairS: 1800 }));
        // Failures need an end: a job whose nodes fail faster than it checkpoints would never finish.
        const lastSubmitMs = Math.max(0, ...workload.map((w) => w.job.submittedAtMs));
        const toMs = mtbfS === null ? undefined : lastSubmitMs + 30 * 86_400_000;
        const r = simulate({ facility: s.compiled, policy: s.policy, workload, seed, reliability, toMs });
        const skipped = r.skipped.reduce((a, x) => a + x.count, 0);
        expect(r.jobs.length + skipped).toBe(workload.length);
        expect(new Set(r.jobs.map((j) => j.jobId)).size).toBe(r.jobs.length);
        const byId = new Map(workload.map((w) => [w.job.id, w]));
        for (const rec of r.jobs) {
          const w = byId.get(rec.jobId)!;
          let previousEnd = rec.submittedAtMs;
          let savedS = 0;
          for (const run of rec.runs) {
            expect(run.startAtMs).toBeGreaterThanOrEqual(previousEnd);
            expect(run.endAtMs).toBeGreaterThanOrEqual(run.startAtMs);
            expect((run.endAtMs - run.startAtMs) / 1000).toBeLessThanOrEqual(w.job.limitS + 1e-9);
            savedS += (run.endAtMs - run.startAtMs) / 1000 - run.lostGpuS / run.gpus;
            previousEnd = run.endAtMs;
          }
          if (rec.completedAtMs !== null) {
            expect(rec.runs.at(-1)!.end).toBe("completed");
            expect(savedS).toBeCloseTo(w.runtimeS, 6);
          } else {
            // Unfinished: either never started, stopped at its limit, or still running or waiting at the end.
            expect(savedS).toBeLessThanOrEqual(w.runtimeS + 1e-6);
          }
        }
        for (const sample of r.samples)
          expect(sample.allocatedGpus).toBeLessThanOrEqual(sample.availableGpus);
        // No GPU held twice at any instant; models, residency, site owners and shapes kept.
        expect(checkRun(r.jobs, s.facility, s.queue)).toEqual([]);
        const lostFailed = r.jobs.flatMap((j) => j.runs).filter((x) => x.end === "failed");
        expect(r.lostToFailuresGpuS).toBeCloseTo(
          lostFailed.reduce((a, x) => a + x.lostGpuS, 0),
          6,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
