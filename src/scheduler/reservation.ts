// The earliest time a blocked job is sure to fit, and on which GPUs. Running jobs are assumed to run to
// their hard limit (they cannot run longer), so the reservation holds whatever the real runtimes are.
// GPUs reserved for an earlier job come within reach only when that job would reach its own limit.
import type { CompiledPool } from "./compile-facility.ts";
import { popcount } from "./occupancy.ts";
import type { PassState } from "./pass-state.ts";
import { fullMaskOf, type Placement, pickNodes } from "./placement.ts";
import { BLOCK, DOMAIN, type PlacementRequest } from "./request.ts";

export interface ReservationPlan {
  atMs: number;
  placement: Placement;
}

export interface PoolRequest {
  pool: CompiledPool;
  req: PlacementRequest;
}

export interface ReservedSpan {
  pool: number;
  nodes: number[];
  masks: number[];
  endAtMs: number;
}

export class ReservationFinder {
  /** GPUs free at the time being walked to; valid for node i only where stamp[i] === generation. */
  private readonly scratch: Uint32Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  /** Units (domains, blocks or the pool) touched at the time being walked to: unitSeen[u] === unitGeneration. */
  private readonly unitSeen: Uint32Array;
  private unitGeneration = 0;
  /**
   * Per unit, as fitsNodes counts them: nodes wholly free, and nodes free enough only for a partial part.
   * Valid where unitCounted[u] === generation: counted when a release first touches the unit in a search,
   * then kept as releases free more, so a time step costs its releases, not a scan of every touched unit.
   */
  private readonly unitWhole: Int32Array;
  private readonly unitPartial: Int32Array;
  private readonly unitCounted: Uint32Array;
  /** Reservations made so far in this pass, by end time. */
  private reserved: ReservedSpan[] = [];

  constructor(private readonly state: PassState) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
    this.stamp = new Uint32Array(state.cf.nodeIds.length);
    const units = Math.max(1, state.cf.domainIds.length, state.cf.blockIds.length);
    this.unitSeen = new Uint32Array(units);
    this.unitWhole = new Int32Array(units);
    this.unitPartial = new Int32Array(units);
    this.unitCounted = new Uint32Array(units);
  }

  /** Forgets the reservations of the previous pass. */
  reset(): void {
    this.reserved = [];
  }

  /**
   * Records a reservation. GPUs it takes over from an earlier reservation (after that one's end) are
   * released by it alone, so no later reservation can be given them again.
   */
  add(span: ReservedSpan): void {
    const claimed = new Map(span.nodes.map((i, k) => [i, span.masks[k]!]));
    for (const r of this.reserved) {
      if (r.pool !== span.pool) continue;
      r.masks = r.masks.map((m, k) => (m & ~(claimed.get(r.nodes[k]!) ?? 0)) >>> 0);
    }
    this.reserved.push({ ...span, masks: [...span.masks] });
    this.reserved.sort((a, b) => a.endAtMs - b.endAtMs);
  }

  earliest(candidates: PoolRequest[], nowMs: number): ReservationPlan | null {
    let best: ReservationPlan | null = null;
    for (const c of candidates) {
      const plan = this.inPool(c, nowMs, best ? best.atMs : Number.POSITIVE_INFINITY);
      if (plan && (!best || plan.atMs < best.atMs)) best = plan;
    }
    return best;
  }

  private inPool({ pool, req }: PoolRequest, nowMs: number, beforeMs: number): ReservationPlan | null {
    const { cf, occ } = this.state;
    const s = this.scratch;
    const stamp = this.stamp;
    if (this.generation === 0xffffffff) {
      stamp.fill(0);
      this.unitCounted.fill(0);
      this.generation = 0;
    }
    const gen = ++this.generation;
    const full = fullMaskOf(pool.gpusPerNode);
    // Nodes no release has touched yet read straight from occupancy: no pass over the whole pool.
    const maskOf = (i: number) => (stamp[i] === gen ? s[i]! : (occ.free[i]! & ~occ.reserved[i]!) >>> 0);
    const unitOf = (i: number) =>
      req.level === DOMAIN ? cf.nodeDomain[i]! : req.level === BLOCK ? cf.nodeBlock[i]! : 0;
    const domainsOf = (unit: number): ArrayLike<number> =>
      req.level === DOMAIN ? [unit] : req.level === BLOCK ? cf.blockDomains[unit]! : pool.domains;
    // 2: wholly free; 1: free enough for a partial part only; 0: neither (fitsNodes' classes).
    const kindOf = (m: number) =>
      m === full ? 2 : req.partial > 0 && popcount(m) >= req.partialGpus ? 1 : 0;
    const whole = this.unitWhole;
    const partial = this.unitPartial;
    const counted = this.unitCounted;
    const tally = (m: number, unit: number, by: number) => {
      const kind = kindOf(m);
      if (kind === 2) whole[unit]! += by;
      else if (kind === 1) partial[unit]! += by;
    };
    // Walk two time-ordered lists at once: holdings reaching their limit and reservations ending.
    const holdings = this.state.releases[pool.index]!;
    const spans = this.reserved.filter((r) => r.pool === pool.index);
    let hi = 0;
    let ri = 0;
    const timeOf = (k: number, r: number) =>
      Math.max(
        nowMs,
        Math.min(
          k < holdings.length ? holdings.at(k).limitEndAtMs : Number.POSITIVE_INFINITY,
          spans[r]?.endAtMs ?? Number.POSITIVE_INFINITY,
        ),
      );
    // Units (domains, blocks, or the pool) whose nodes the releases at this time touched, each once.
    const touched: number[] = [];
    const unitSeen = this.unitSeen;
    let seen = this.nextUnitGeneration();
    while (hi < holdings.length || ri < spans.length) {
      const atMs = timeOf(hi, ri);
      if (atMs >= beforeMs) return null;
      // Holdings first at equal times, then reservations: both are free by atMs.
      const holding = hi < holdings.length ? holdings.at(hi) : null;
      const fromHolding = holding !== null && Math.max(nowMs, holding.limitEndAtMs) === atMs;
      const nodes = fromHolding ? holding.nodes : spans[ri]!.nodes;
      const masks = fromHolding ? holding.masks : spans[ri]!.masks;
      if (fromHolding) hi++;
      else ri++;
      for (let k = 0; k < nodes.length; k++) {
        const i = nodes[k]!;
        if (occ.up[i] !== 1) continue;
        const unit = unitOf(i);
        if (counted[unit] !== gen) {
          // First touch in this search: count the unit as it stands, before this release.
          counted[unit] = gen;
          whole[unit] = 0;
          partial[unit] = 0;
          const domains = domainsOf(unit);
          for (let d = 0; d < domains.length; d++)
            for (const j of cf.domainNodes[domains[d]!]!) tally(maskOf(j), unit, 1);
        }
        const before = maskOf(i);
        s[i] = (before | (fromHolding ? masks[k]! & ~occ.reserved[i]! : masks[k]!)) >>> 0;
        stamp[i] = gen;
        tally(before, unit, -1);
        tally(s[i]!, unit, 1);
        if (unitSeen[unit] !== seen) {
          unitSeen[unit] = seen;
          touched.push(unit);
        }
      }
      if (timeOf(hi, ri) === atMs && (hi < holdings.length || ri < spans.length)) continue;
      const units = touched.sort((a, b) => a - b);
      seen = this.nextUnitGeneration();
      for (const unit of units) {
        // fitsNodes on the unit's nodes, from the counts.
        if (whole[unit]! >= req.whole && partial[unit]! + (whole[unit]! - req.whole) >= req.partial) {
          const unitNodes =
            req.level === DOMAIN
              ? cf.domainNodes[unit]!
              : req.level === BLOCK
                ? blockNodes(cf.blockDomains[unit]!, cf.domainNodes)
                : poolNodes(pool, cf.domainNodes);
          return { atMs, placement: { pool: pool.index, ...pickNodes(unitNodes, full, req, maskOf) } };
        }
      }
      touched.length = 0;
    }
    return null;
  }

  private nextUnitGeneration(): number {
    if (this.unitGeneration === 0xffffffff) {
      this.unitSeen.fill(0);
      this.unitGeneration = 0;
    }
    return ++this.unitGeneration;
  }
}

function blockNodes(domains: Int32Array, domainNodes: Int32Array[]): number[] {
  const out: number[] = [];
  for (const d of domains) for (const i of domainNodes[d]!) out.push(i);
  return out;
}

function poolNodes(pool: CompiledPool, domainNodes: Int32Array[]): number[] {
  const out: number[] = [];
  for (const d of pool.domains) for (const i of domainNodes[d]!) out.push(i);
  return out;
}
