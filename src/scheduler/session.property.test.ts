// A session that keeps its state between passes must decide exactly as the pure function does.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import { schedule } from "./schedule.ts";
import { SchedulerSession } from "./session.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const byJob = <T extends { jobId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.jobId < b.jobId ? -1 : 1));

describe("scheduler session", () => {
  it("decides like the pure pass, pass after pass, as jobs finish and arrive", () => {
    fc.assert(
      fc.property(situationArb, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (s, picks) => {
        const session = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
        const half = Math.floor(s.queue.length / 2);
        for (const job of s.queue.slice(0, half)) session.submit(job);
        let nowMs = s.nowMs;
        for (let step = 0; step < 3; step++) {
          const running = session.running();
          const queue = session.queued();
          const expected = schedule({
            facility: s.compiled,
            policy: s.policy,
            queue,
            running,
            usage: s.usage,
            nowMs,
          });
          const got = session.pass(nowMs);
          expect(got.complete).toBe(true);
          expect(byJob(got.start)).toEqual(byJob(expected.start));
          expect(byJob(got.waiting)).toEqual(byJob(expected.waiting));
          expect(got.preempt).toEqual(expected.preempt);
          expect(got.reservations).toEqual(expected.reservations);
          // Something finishes, the rest of the queue arrives, time moves on.
          const live = session.running();
          if (live.length > 0) session.finish(live[picks[step]! % live.length]!.job.id);
          if (step === 0) for (const job of s.queue.slice(half)) session.submit(job);
          nowMs += 600_000;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decides like the pure pass when passes follow with nothing changed, or only time, between them", () => {
    // Reservation searches reuse the answers of earlier passes in pools that did not change: any stale
    // answer would show here as a decision the pure pass does not make.
    const stepArb = fc.record({
      change: fc.constantFrom("none", "none", "finish", "submit"),
      afterS: fc.constantFrom(0, 1, 60, 600, 3_600, 20_000),
      quick: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(situationArb, fc.array(stepArb, { minLength: 2, maxLength: 6 }), (s, steps) => {
        const session = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
        const half = Math.floor(s.queue.length / 2);
        for (const job of s.queue.slice(0, half)) session.submit(job);
        let later = half;
        let nowMs = s.nowMs;
        for (const step of steps) {
          if (step.quick !== undefined) session.pass(nowMs, { maxJobsPerPhase: step.quick });
          else {
            const expected = schedule({
              facility: s.compiled,
              policy: s.policy,
              queue: session.queued(),
              running: session.running(),
              usage: s.usage,
              nowMs,
            });
            const got = session.pass(nowMs);
            expect(byJob(got.start)).toEqual(byJob(expected.start));
            expect(got.preempt).toEqual(expected.preempt);
            expect(got.reservations).toEqual(expected.reservations);
          }
          const live = session.running();
          if (step.change === "finish" && live.length > 0)
            session.finish(live[step.pick % live.length]!.job.id);
          if (step.change === "submit" && later < s.queue.length) session.submit(s.queue[later++]!);
          nowMs += step.afterS * 1000;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a quick pass that examines the whole queue is a full pass", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const full = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
        const quick = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
        for (const job of s.queue) {
          full.submit(job);
          quick.submit(job);
        }
        const a = full.pass(s.nowMs);
        const b = quick.pass(s.nowMs, { maxJobsPerPhase: s.queue.length });
        expect(b).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });

  it("never gives a GPU twice across quick passes", () => {
    fc.assert(
      fc.property(situationArb, fc.integer({ min: 1, max: 5 }), (s, depth) => {
        const session = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
        for (const job of s.queue) session.submit(job);
        const preempted = new Set<string>();
        for (let step = 0; step < 4; step++) {
          const d = session.pass(s.nowMs + step * 60_000, { maxJobsPerPhase: depth });
          for (const p of d.preempt) preempted.add(p.jobId);
          const seen = new Set<string>();
          for (const r of session.running())
            for (const n of r.allocation.nodes)
              for (const g of n.gpus) {
                const key = `${n.nodeId}#${g}`;
                expect(seen.has(key)).toBe(false);
                seen.add(key);
              }
          // Every queued job is still queued, running, or was preempted (and handed back to its owner).
          const known = new Set([
            ...session.queued().map((j) => j.id),
            ...session.running().map((r) => r.job.id),
          ]);
          for (const job of s.queue) expect(known.has(job.id) || preempted.has(job.id)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
