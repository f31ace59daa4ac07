// The preemption search plans only the places whose lower bound can beat the best plan so far. Its answer
// must cost what planning every place would: on random facilities, running jobs and queues — tiers above
// their guarantee, tenants above a borrowable quota, both — the bounded search and the exhaustive one
// destroy the same work for every queued job.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import { addRunning, createCore } from "./pass.ts";
import type { PreemptionFinder, PreemptionPlan } from "./preemption.ts";
import { BLOCK, DOMAIN } from "./request.ts";
import type { PoolRequest } from "./reservation.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

/** The finder's plan for one place, reached past its privacy: the exhaustive search plans every place. */
type Planner = {
  index: { ensure(nowMs: number): void };
  inUnit(request: PoolRequest, unit: number): PreemptionPlan | null;
};

function cheapestEverywhere(finder: PreemptionFinder, requests: PoolRequest[], nowMs: number): number | null {
  const planner = finder as unknown as Planner;
  // The bounded search prices the victims only when some may be taken; the exhaustive one always does.
  planner.index.ensure(nowMs);
  let best: number | null = null;
  for (const request of requests) {
    const { pool, req } = request;
    const units = req.level === DOMAIN ? pool.domains : req.level === BLOCK ? pool.blocks : [pool.index];
    for (const unit of units) {
      const plan = planner.inUnit(request, unit);
      if (plan && (best === null || plan.lostGpuS < best)) best = plan.lostGpuS;
    }
  }
  return best;
}

describe("the bounded preemption search (property-based)", () => {
  it("destroys exactly as little work as planning every place would", () => {
    let compared = 0;
    fc.assert(
      fc.property(situationArb, (s) => {
        const core = createCore(s.compiled, s.policy);
        for (const r of s.running) addRunning(core, r);
        const finder = core.preemptionFinder;
        for (const job of s.queue) {
          const a = core.admissions.admit(job);
          if (!a.ok || a.candidate.requests.facility.length === 0) continue;
          const requests = a.candidate.requests.facility;
          const bounded = finder.cheapest(requests, s.nowMs);
          const everywhere = cheapestEverywhere(finder, requests, s.nowMs);
          if (bounded === null) {
            expect(everywhere, `job ${job.id}: a plan exists, the bounded search found none`).toBeNull();
            continue;
          }
          compared++;
          expect(everywhere).not.toBeNull();
          expect(bounded.lostGpuS).toBeCloseTo(everywhere!, 6);
        }
      }),
      { numRuns: RUNS },
    );
    // The situations must reach plans, or the property says nothing.
    expect(compared).toBeGreaterThan(RUNS / 10);
  });
});
