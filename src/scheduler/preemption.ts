// Reclaiming GPUs for a job within its tier's guarantee and its tenant's quota from the jobs that borrowed
// them. Victims are chosen cheapest first (victim-order.ts): least work lost since the last checkpoint,
// then the lowest tier, then the youngest job. Only borrowers that have run at least the policy's minimum
// runtime (the thrash guard, victim-order.ts) are victims — jobs of tiers above their guarantee, and jobs
// of tenants above a borrowable quota — the set is minimal (no victim can be spared), and the location
// (domain, block or site) that destroys the least work wins; among equals, the first in the order the
// requests and their units are listed.
//
// The search is bounded so that a pass in a reclaim storm stays fast: victims are priced and ordered once
// per pass (victim-index.ts); each place (a unit of a request) gets a lower bound on what a plan there
// destroys — per-node clearing costs for an NVLink domain (domain-bound.ts), the cheapest work lost per
// GPU for a block or pool; the place with the lowest bound is planned first, then only the places whose
// bound can still beat the best plan, lowest bound first. Planning a place adds and spares victims on
// counts kept per node (unit-fit.ts). The result is the one planning every place would give.
import { DomainBound } from "./domain-bound.ts";
import type { Holding } from "./holding.ts";
import { OPEN } from "./occupancy.ts";
import type { PassState } from "./pass-state.ts";
import { fullMaskOf, type Placement, pickNodes } from "./placement.ts";
import type { PolicyLimits } from "./policy-limits.ts";
import { BLOCK, DOMAIN, type Level } from "./request.ts";
import type { PoolRequest } from "./reservation.ts";
import { UnitFit } from "./unit-fit.ts";
import { VictimIndex } from "./victim-index.ts";

export interface PreemptionPlan {
  placement: Placement;
  victims: Holding[];
  lostGpuS: number;
}

/**
 * Lower bounds are shrunk by this share so that rounding in their sums can never put one above the exact
 * cost of a plan: a bound only decides which units are planned, never what a plan costs.
 */
const BOUND_MARGIN = 1 - 1e-9;

export class PreemptionFinder {
  /** Places planned since the finder was made: the search's work, which the bounds keep small. */
  plannedUnits = 0;
  private readonly index: VictimIndex;
  private readonly fit: UnitFit;
  private readonly domainBound: DomainBound;
  /** Nodes of each block and pool in the order the search reads them, made when first needed. */
  private readonly blockNodes: (Int32Array | undefined)[] = [];
  private readonly poolNodes: (Int32Array | undefined)[] = [];
  /**
   * The places one search weighs, as parallel arrays reused from search to search: the request (its
   * position in the candidates), the unit (domain, block or pool by the request's level) and a lower
   * bound on what a plan there destroys.
   */
  private placeRequest = new Int32Array(64);
  private placeUnit = new Int32Array(64);
  private placeBound = new Float64Array(64);

  private readonly guaranteedGpus: number[];
  private readonly borrowableQuotaGpus: Map<string, number>;
  /** Tenants with a borrowable quota, each with its bit in the domain bound's set of those above it. */
  private readonly quotaTenants = new Map<string, number>();

  constructor(
    private readonly state: PassState,
    limits: PolicyLimits,
    minRuntimeS: number,
  ) {
    this.guaranteedGpus = limits.guaranteedGpus;
    this.borrowableQuotaGpus = limits.borrowableQuotaGpus;
    this.index = new VictimIndex(state, minRuntimeS);
    this.fit = new UnitFit(state.occ);
    for (const tenantId of this.borrowableQuotaGpus.keys())
      this.quotaTenants.set(tenantId, this.quotaTenants.size);
    this.domainBound = new DomainBound(state, this.index, this.quotaTenants);
  }

  /** Whether tier t holds more than its guarantee, and so may lose jobs to a reclaiming tier. */
  private borrowing(t: number, used: number[]): boolean {
    return used[t]! > this.guaranteedGpus[t]!;
  }

  /**
   * Whether the holding may be taken back: its tier holds more than its guarantee, or its tenant more than
   * a borrowable quota (`tierUsed` and `tenantUsed` as the plan stands).
   */
  private reclaimable(h: Holding, tierUsed: number[], tenantUsed: Map<string, number>): boolean {
    if (this.borrowing(h.tier, tierUsed)) return true;
    const quota = this.borrowableQuotaGpus.get(h.job.tenantId);
    return quota !== undefined && (tenantUsed.get(h.job.tenantId) ?? 0) > quota;
  }

  /**
   * The tenants holding more than their borrowable quota, as bits of quotaTenants: 0 when none, −1 when
   * some are but more tenants have such quotas than bits (the domain bound then is not used).
   */
  private aboveQuotaBits(): number {
    let bits = 0;
    for (const [tenantId, quota] of this.borrowableQuotaGpus)
      if ((this.state.tenantUsed.get(tenantId) ?? 0) > quota) {
        const k = this.quotaTenants.get(tenantId)!;
        if (k >= 30) return -1;
        bits |= 1 << k;
      }
    return bits;
  }

  cheapest(candidates: PoolRequest[], nowMs: number): PreemptionPlan | null {
    const { cf, occ, tierCount, domainTierGpus, poolTierGpus } = this.state;
    const used = this.state.tierUsed;
    const borrowingTiers: number[] = [];
    for (let t = 0; t < tierCount; t++) if (this.borrowing(t, used)) borrowingTiers.push(t);
    // Victims of a tenant above its quota may sit in any tier: the per-tier counts below cannot see them,
    // so units are then weighed by the victims themselves (lowerBound).
    const aboveQuotaBits = this.aboveQuotaBits();
    const aboveQuota = aboveQuotaBits !== 0;
    if (borrowingTiers.length === 0 && !aboveQuota) return null;
    this.index.ensure(nowMs);
    // The borrowing tiers as bits, for the per-domain bound (more tiers or quota tenants than bits: no
    // such bound).
    let borrowingMask = tierCount <= 30 && aboveQuotaBits >= 0 ? 0 : -1;
    if (borrowingMask === 0) for (const t of borrowingTiers) borrowingMask |= 1 << t;

    // Imported constants are read once: in the loops below they would each be a getter call per place.
    const domainLevel = DOMAIN;
    const blockLevel = BLOCK;
    const open = OPEN;
    const domFree = occ.domFree[open];
    let places = 0;
    for (let c = 0; c < candidates.length; c++) {
      const { pool, req } = candidates[c]!;
      const level = req.level;
      // What a unit could ever offer: its free GPUs and every GPU a borrowing tier holds in it.
      if (level === domainLevel) {
        for (const unit of pool.domains) {
          let reachable = domFree[unit]!;
          for (const t of borrowingTiers) reachable += domainTierGpus[unit * tierCount + t]!;
          if (reachable < req.gpus && !aboveQuota) continue;
          const bound =
            borrowingMask >= 0
              ? this.domainBound.bound(unit, req, borrowingMask, aboveQuotaBits) * BOUND_MARGIN
              : domFree[unit]! >= req.gpus
                ? 0
                : this.lowerBound(level, unit, req.gpus - domFree[unit]!);
          if (bound !== Number.POSITIVE_INFINITY) this.addPlace(places++, c, unit, bound);
        }
        continue;
      }
      const units = level === blockLevel ? pool.blocks : [pool.index];
      for (const unit of units) {
        let free: number;
        let reachable = 0;
        if (level === blockLevel) {
          free = occ.blkFree[open][unit]!;
          for (const d of cf.blockDomains[unit]!)
            for (const t of borrowingTiers) reachable += domainTierGpus[d * tierCount + t]!;
        } else {
          free = occ.poolFree[open][unit]!;
          for (const t of borrowingTiers) reachable += poolTierGpus[unit * tierCount + t]!;
        }
        if (free + reachable < req.gpus && !aboveQuota) continue;
        const bound = free >= req.gpus ? 0 : this.lowerBound(level, unit, req.gpus - free);
        if (bound !== Number.POSITIVE_INFINITY) this.addPlace(places++, c, unit, bound);
      }
    }
    if (places === 0) return null;

    // The place with the lowest bound first, then every place whose bound could still beat the best plan,
    // lowest bound first. Ties between plans go to the place listed first, as a scan of every place in
    // order keeping only strictly cheaper plans would have it.
    const bound = this.placeBound;
    const plan = (k: number) => this.inUnit(candidates[this.placeRequest[k]!]!, this.placeUnit[k]!);
    let first = 0;
    for (let k = 1; k < places; k++) if (bound[k]! < bound[first]!) first = k;
    let best = plan(first);
    let bestAt = first;
    const beats = (cost: number, k: number) =>
      !best || cost < best.lostGpuS || (cost === best.lostGpuS && k < bestAt);
    const rest: number[] = [];
    for (let k = 0; k < places; k++) if (k !== first && beats(bound[k]!, k)) rest.push(k);
    rest.sort((a, b) => bound[a]! - bound[b]! || a - b);
    for (const k of rest) {
      if (best && bound[k]! > best.lostGpuS) break;
      if (!beats(bound[k]!, k)) continue;
      const p = plan(k);
      if (p && beats(p.lostGpuS, k)) {
        best = p;
        bestAt = k;
      }
    }
    return best;
  }

  private addPlace(k: number, request: number, unit: number, bound: number): void {
    if (k === this.placeBound.length) {
      const grow = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.placeRequest = grow(this.placeRequest, (n) => new Int32Array(n));
      this.placeUnit = grow(this.placeUnit, (n) => new Int32Array(n));
      this.placeBound = grow(this.placeBound, (n) => new Float64Array(n));
    }
    this.placeRequest[k] = request;
    this.placeUnit[k] = unit;
    this.placeBound[k] = bound;
  }

  /**
   * A lower bound on the work any plan destroys to free `deficitGpus` in the unit: the cheapest GPUs of
   * the borrowing tiers' victims there, priced by work lost per GPU and taken fractionally. Infinity
   * when those victims do not hold that many GPUs.
   */
  private lowerBound(level: Level, unit: number, deficitGpus: number): number {
    const { index } = this;
    const { tierUsed, tenantUsed } = this.state;
    const ranks = index.ranks(level, "lost-per-gpu");
    let left = deficitGpus;
    let bound = 0;
    for (let k = index.begin(level, unit), end = index.end(level, unit); k < end; k++) {
      const r = ranks[k]!;
      const h = index.victims[r]!;
      if (!h.live || !this.reclaimable(h, tierUsed, tenantUsed)) continue;
      const take = Math.min(h.gpus, left);
      bound += (index.lost[r]! / h.gpus) * take;
      left -= take;
      if (left <= 0) return bound * BOUND_MARGIN;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** The unit's nodes: its domains' nodes, domain by domain, in the order the facility lists them. */
  private nodesOf(level: Level, unit: number): Int32Array {
    const { cf } = this.state;
    if (level === DOMAIN) return cf.domainNodes[unit]!;
    const cache = level === BLOCK ? this.blockNodes : this.poolNodes;
    let nodes = cache[unit];
    if (!nodes) {
      const domains = level === BLOCK ? cf.blockDomains[unit]! : cf.pools[unit]!.domains;
      const list: number[] = [];
      for (const d of domains) for (const i of cf.domainNodes[d]!) list.push(i);
      nodes = Int32Array.from(list);
      cache[unit] = nodes;
    }
    return nodes;
  }

  private inUnit({ pool, req }: PoolRequest, unit: number): PreemptionPlan | null {
    const { index, fit } = this;
    this.plannedUnits++;
    const nodes = this.nodesOf(req.level, unit);
    const ranks = index
      .ranks(req.level, "victim")
      .subarray(index.begin(req.level, unit), index.end(req.level, unit));
    const full = fullMaskOf(pool.gpusPerNode);
    fit.reset(nodes, full, req);

    // A single victim that frees enough on its own is often cheaper than the greedy set below, and the
    // greedy set can miss it when cheaper victims of the same tier use up what that tier may lose.
    let single = -1;
    for (let k = 0; k < ranks.length; k++) {
      const h = index.victims[ranks[k]!]!;
      if (!h.live || !this.reclaimable(h, this.state.tierUsed, this.state.tenantUsed)) continue;
      fit.add(h);
      const fits = fit.fits();
      fit.spare(h);
      if (fits) {
        single = ranks[k]!;
        break;
      }
    }
    const used = [...this.state.tierUsed];
    const tenantUsed = new Map(this.state.tenantUsed);
    let chosen: number[] = [];
    let fits = false;
    for (let k = 0; k < ranks.length; k++) {
      const h = index.victims[ranks[k]!]!;
      if (!h.live || !this.reclaimable(h, used, tenantUsed)) continue;
      chosen.push(ranks[k]!);
      used[h.tier]! -= h.gpus;
      tenantUsed.set(h.job.tenantId, tenantUsed.get(h.job.tenantId)! - h.gpus);
      fit.add(h);
      if (fit.fits()) {
        fits = true;
        break;
      }
    }
    if (!fits && single < 0) return null;
    // Spare every victim the placement does not need, most expensive first.
    if (fits)
      for (let k = chosen.length - 1; k >= 0; k--) {
        const h = index.victims[chosen[k]!]!;
        fit.spare(h);
        if (fit.fits()) chosen.splice(k, 1);
        else fit.add(h);
      }
    const sum = (rs: number[]) => rs.reduce((a, r) => a + index.lost[r]!, 0);
    if (single >= 0 && (!fits || index.lost[single]! < sum(chosen))) {
      for (const r of chosen) fit.spare(index.victims[r]!);
      chosen = [single];
      fit.add(index.victims[single]!);
    }
    return {
      placement: { pool: pool.index, ...pickNodes(nodes, full, req, (i) => fit.masks[i]!) },
      victims: chosen.map((r) => index.victims[r]!),
      lostGpuS: sum(chosen),
    };
  }
}
