// Reclaiming a tier's guaranteed share from tiers that borrowed it. Victims are chosen cheapest first:
// least work lost since the last checkpoint, then the lowest tier, then the youngest job. Only jobs of
// tiers above their guarantee are victims, the set is minimal (no victim can be spared), and the
// location (domain, block or site) that destroys the least work wins.
import type { Holding } from "./holding.ts";
import type { PassState } from "./pass-state.ts";
import { fitsNodes, fullMaskOf, type Placement, pickNodes } from "./placement.ts";
import { BLOCK, DOMAIN } from "./request.ts";
import type { PoolRequest } from "./reservation.ts";

/** GPU-seconds of work since the job's last checkpoint: what preempting it now throws away. */
export function lostGpuS(h: Holding, nowMs: number): number {
  const ranS = Math.max(0, (nowMs - h.startedAtMs) / 1000);
  const interval = h.job.checkpointIntervalS;
  const sinceCheckpointS = interval && interval > 0 ? ranS % interval : ranS;
  return h.gpus * sinceCheckpointS;
}

export interface PreemptionPlan {
  placement: Placement;
  victims: Holding[];
  lostGpuS: number;
}

export class PreemptionFinder {
  private readonly scratch: Uint32Array;

  constructor(
    private readonly state: PassState,
    private readonly guaranteedGpus: number[],
  ) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
  }

  /** Whether tier t holds more than its guarantee, and so may lose jobs to a reclaiming tier. */
  private borrowing(t: number, used: number[]): boolean {
    return used[t]! > this.guaranteedGpus[t]!;
  }

  cheapest(candidates: PoolRequest[], nowMs: number): PreemptionPlan | null {
    const { cf, occ, tierCount, domainTierGpus } = this.state;
    let best: PreemptionPlan | null = null;
    const used = this.state.tierUsed;
    const borrowingTiers: number[] = [];
    for (let t = 0; t < tierCount; t++) if (this.borrowing(t, used)) borrowingTiers.push(t);
    if (borrowingTiers.length === 0) return null;
    for (const { pool, req } of candidates) {
      const units = req.level === DOMAIN ? pool.domains : req.level === BLOCK ? pool.blocks : [pool.index];
      for (const unit of units) {
        const domains =
          req.level === DOMAIN ? [unit] : req.level === BLOCK ? cf.blockDomains[unit]! : pool.domains;
        let reachable = 0;
        for (const d of domains) {
          reachable += occ.domFree[1][d]!;
          for (const t of borrowingTiers) reachable += domainTierGpus[d * tierCount + t]!;
        }
        if (reachable < req.gpus) continue;
        const plan = this.inUnit(domains, pool.gpusPerNode, { pool, req }, nowMs);
        if (plan && (!best || plan.lostGpuS < best.lostGpuS)) best = plan;
      }
    }
    return best;
  }

  private inUnit(
    domains: ArrayLike<number>,
    gpusPerNode: number,
    c: PoolRequest,
    nowMs: number,
  ): PreemptionPlan | null {
    const { cf, occ, owner, slotsPerNode, holdings } = this.state;
    const nodes: number[] = [];
    for (let k = 0; k < domains.length; k++) for (const i of cf.domainNodes[domains[k]!]!) nodes.push(i);
    const seen = new Set<number>();
    const candidates: Holding[] = [];
    for (const i of nodes) {
      for (let g = 0; g < slotsPerNode; g++) {
        const handle = owner[i * slotsPerNode + g]!;
        if (handle < 0 || seen.has(handle)) continue;
        seen.add(handle);
        const h = holdings[handle]!;
        if (h.tier >= 0 && h.startedInPass !== this.state.passSerial) candidates.push(h);
      }
    }
    const cost = new Map(candidates.map((h) => [h.handle, lostGpuS(h, nowMs)]));
    candidates.sort(
      (a, b) =>
        cost.get(a.handle)! - cost.get(b.handle)! ||
        b.tier - a.tier ||
        b.startedAtMs - a.startedAtMs ||
        (a.job.id < b.job.id ? -1 : 1),
    );
    const full = fullMaskOf(gpusPerNode);
    const inUnit = new Set(nodes);
    const s = this.scratch;
    const maskOf = (i: number) => s[i]!;
    const fill = (victims: Holding[]) => {
      for (const i of nodes) s[i] = (occ.free[i]! & ~occ.reserved[i]!) >>> 0;
      for (const v of victims)
        v.nodes.forEach((i, k) => {
          if (inUnit.has(i) && occ.up[i] === 1) s[i] = (s[i]! | (v.masks[k]! & ~occ.reserved[i]!)) >>> 0;
        });
    };
    // A single victim that frees enough on its own is often cheaper than the greedy set below, and the
    // greedy set can miss it when cheaper victims of the same tier use up what that tier may lose.
    let single: Holding | null = null;
    for (const h of candidates) {
      if (!this.borrowing(h.tier, this.state.tierUsed)) continue;
      fill([h]);
      if (fitsNodes(nodes, full, c.req, maskOf)) {
        single = h;
        break;
      }
    }
    const used = [...this.state.tierUsed];
    let chosen: Holding[] = [];
    fill(chosen);
    let fits = false;
    for (const h of candidates) {
      if (!this.borrowing(h.tier, used)) continue;
      chosen.push(h);
      used[h.tier]! -= h.gpus;
      fill(chosen);
      if (fitsNodes(nodes, full, c.req, maskOf)) {
        fits = true;
        break;
      }
    }
    if (!fits && !single) return null;
    // Spare every victim the placement does not need, most expensive first.
    for (let k = fits ? chosen.length - 1 : -1; k >= 0; k--) {
      const without = chosen.filter((_, j) => j !== k);
      fill(without);
      if (fitsNodes(nodes, full, c.req, maskOf)) chosen.splice(k, 1);
    }
    const sum = (vs: Holding[]) => vs.reduce((a, v) => a + cost.get(v.handle)!, 0);
    if (single && (!fits || cost.get(single.handle)! < sum(chosen))) chosen = [single];
    fill(chosen);
    const lost = sum(chosen);
    return {
      placement: { pool: c.pool.index, ...pickNodes(nodes, full, c.req, maskOf) },
      victims: chosen,
      lostGpuS: lost,
    };
  }
}
