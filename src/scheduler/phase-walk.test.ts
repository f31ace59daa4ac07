// A pass that does not explain its waiting jobs passes over runs of jobs that only a quota, a guarantee or a
// borrowing limit holds back. It must decide exactly what a pass that looks at every job decides.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Situation, situationArb } from "../../test/support/arbitraries.ts";
import { addRunning, createCore, runPass, type SchedulerCore } from "./pass.ts";
import { QueueIndex } from "./queue-index.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

/** A scheduler core for the situation; `chunkLimit` makes the tenant queues split into many chunks. */
function coreFor(s: Situation, chunkLimit?: number): SchedulerCore {
  const core = createCore(s.compiled, s.policy);
  core.queue = new QueueIndex(s.policy.tiers.length, chunkLimit);
  for (const r of s.running) addRunning(core, r);
  for (const job of s.queue) {
    const a = core.admissions.admit(job);
    if (a.ok) core.queue.add(a.candidate);
  }
  return core;
}

describe("passing over jobs held back by limits", () => {
  it("starts, preempts and reserves exactly what a pass that explains every job does, pass after pass", () => {
    fc.assert(
      fc.property(
        situationArb,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), {
          minLength: 3,
          maxLength: 3,
        }),
        (s, chunkLimit, depths) => {
          const explaining = coreFor(s);
          const skipping = coreFor(s, chunkLimit);
          let nowMs = s.nowMs;
          for (const maxJobsPerPhase of depths) {
            const options = { nowMs, usage: s.usage, ...(maxJobsPerPhase ? { maxJobsPerPhase } : {}) };
            const a = runPass(explaining, options);
            const b = runPass(skipping, { ...options, explainWaiting: false });
            expect(b.start).toEqual(a.start);
            expect(b.preempt).toEqual(a.preempt);
            expect(b.reservations).toEqual(a.reservations);
            expect(b.complete).toBe(a.complete);
            expect(b.waiting).toEqual([]);
            // As a session does: started jobs leave the queue; time moves on.
            for (const st of a.start) {
              explaining.queue.remove(st.jobId);
              skipping.queue.remove(st.jobId);
            }
            nowMs += 600_000;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
