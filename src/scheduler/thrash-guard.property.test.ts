// The thrash guard: a pass never preempts a job that has run less than the policy's minimum runtime, on
// random facilities, policies, running sets and queues (half of them a tier coming back for its guarantee
// after others borrowed everything, with running jobs started 0 to 20,000 s ago).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import { schedule } from "./schedule.ts";
import { DEFAULT_MIN_RUNTIME_S } from "./victim-order.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

describe("thrash guard", () => {
  it("never preempts a job that has run less than the minimum runtime", () => {
    fc.assert(
      fc.property(
        situationArb,
        // Absent (the default), or a minimum from one second to past the oldest running job.
        fc.option(fc.integer({ min: 1, max: 25_000 })),
        (s, minRuntimeS) => {
          const policy = minRuntimeS === null ? s.policy : { ...s.policy, preemption: { minRuntimeS } };
          const d = schedule({
            facility: s.compiled,
            policy,
            queue: s.queue,
            running: s.running,
            usage: s.usage,
            nowMs: s.nowMs,
          });
          const minS = minRuntimeS ?? DEFAULT_MIN_RUNTIME_S;
          const startedAtMs = new Map(s.running.map((r) => [r.job.id, r.startedAtMs]));
          for (const p of d.preempt) {
            const ranS = (s.nowMs - startedAtMs.get(p.jobId)!) / 1000;
            expect(ranS, `job ${p.jobId} preempted after ${ranS} s`).toBeGreaterThanOrEqual(minS);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
