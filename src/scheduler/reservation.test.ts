// A reservation search keeps, per domain or block it has touched, how many nodes could take part of the
// job, instead of counting the unit's nodes again after every release. It must find exactly the time and
// GPUs that counting them again would find, search after search on the same finder.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import type { Holding } from "./holding.ts";
import { addRunning, createCore } from "./pass.ts";
import { fitsNodes, fullMaskOf, pickNodes } from "./placement.ts";
import { BLOCK, DOMAIN } from "./request.ts";
import type { PoolRequest, ReservationPlan } from "./reservation.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

/** The search counted the plain way: after each release time, fitsNodes over every unit it touched. */
function recounted(
  live: Holding[],
  requests: PoolRequest[],
  nowMs: number,
  core: ReturnType<typeof createCore>,
) {
  const { cf, occ } = core.state;
  let best: ReservationPlan | null = null;
  for (const { pool, req } of requests) {
    const masks = new Map<number, number>();
    const maskOf = (i: number) => masks.get(i) ?? (occ.free[i]! & ~occ.reserved[i]!) >>> 0;
    const unitNodes = (unit: number): number[] =>
      req.level === DOMAIN
        ? [...cf.domainNodes[unit]!]
        : (req.level === BLOCK ? [...cf.blockDomains[unit]!] : pool.domains).flatMap((d) => [
            ...cf.domainNodes[d]!,
          ]);
    const holdings = live
      .filter((h) => h.pool === pool.index)
      .sort((a, b) => a.limitEndAtMs - b.limitEndAtMs || (a.job.id < b.job.id ? -1 : 1));
    let plan: ReservationPlan | null = null;
    for (let k = 0; k < holdings.length && !plan; ) {
      const atMs = Math.max(nowMs, holdings[k]!.limitEndAtMs);
      const touched = new Set<number>();
      for (; k < holdings.length && Math.max(nowMs, holdings[k]!.limitEndAtMs) === atMs; k++) {
        const h = holdings[k]!;
        h.nodes.forEach((i, n) => {
          if (occ.up[i] !== 1) return;
          masks.set(i, (maskOf(i) | (h.masks[n]! & ~occ.reserved[i]!)) >>> 0);
          touched.add(req.level === DOMAIN ? cf.nodeDomain[i]! : req.level === BLOCK ? cf.nodeBlock[i]! : 0);
        });
      }
      for (const unit of [...touched].sort((a, b) => a - b)) {
        const nodes = unitNodes(unit);
        if (fitsNodes(nodes, fullMaskOf(pool.gpusPerNode), req, maskOf)) {
          plan = {
            atMs,
            placement: { pool: pool.index, ...pickNodes(nodes, fullMaskOf(pool.gpusPerNode), req, maskOf) },
          };
          break;
        }
      }
    }
    if (plan && (!best || plan.atMs < best.atMs)) best = plan;
  }
  return best;
}

describe("reservation search", () => {
  it("finds the time and GPUs a search that recounts every touched domain or block would find", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const core = createCore(s.compiled, s.policy);
        for (const r of s.running) addRunning(core, r);
        const live = core.state.live();
        for (const job of s.queue) {
          const a = core.admissions.admit(job);
          if (!a.ok) continue;
          const requests = a.candidate.requests.all;
          expect(core.reservationFinder.earliest(requests, s.nowMs)).toEqual(
            recounted(live, requests, s.nowMs, core),
          );
        }
      }),
      { numRuns: RUNS },
    );
  });
});
