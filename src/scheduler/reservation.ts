// The earliest time a blocked job is sure to fit, and on which GPUs. Running jobs are assumed to run to
// their hard limit (they cannot run longer), so the reservation holds whatever the real runtimes are.
// GPUs reserved for an earlier job come within reach only when that job would reach its own limit.
import type { CompiledPool } from "./compile-facility.ts";
import { popcount } from "./occupancy.ts";
import type { PassState } from "./pass-state.ts";
import { fullMaskOf, type Placement, pickNodes } from "./placement.ts";
import type { ReleaseOrder } from "./release-order.ts";
import { BLOCK, DOMAIN, type PlacementRequest } from "./request.ts";
import { ReservationMemo } from "./reservation-memo.ts";
import type { ReservationPlan, ReservedSpan } from "./reservation-plan.ts";

export type { ReservationPlan, ReservedSpan };

export interface PoolRequest {
  pool: CompiledPool;
  req: PlacementRequest;
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
  /** GPUs the reservation being added claims, per node; valid where claimStamp[i] === claimGeneration. */
  private readonly claimed: Uint32Array;
  private readonly claimStamp: Uint32Array;
  private claimGeneration = 0;
  /** Per pool, the reservations made in it so far in this pass, by end time. */
  private readonly reserved: ReservedSpan[][];
  /** Pools with reservations in this pass. */
  private readonly reservedPools: number[] = [];
  private readonly memo: ReservationMemo;

  constructor(private readonly state: PassState) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
    this.stamp = new Uint32Array(state.cf.nodeIds.length);
    this.claimed = new Uint32Array(state.cf.nodeIds.length);
    this.claimStamp = new Uint32Array(state.cf.nodeIds.length);
    const units = Math.max(1, state.cf.domainIds.length, state.cf.blockIds.length);
    this.unitSeen = new Uint32Array(units);
    this.unitWhole = new Int32Array(units);
    this.unitPartial = new Int32Array(units);
    this.unitCounted = new Uint32Array(units);
    this.memo = new ReservationMemo(state.cf.pools.length);
    this.reserved = state.cf.pools.map(() => []);
  }

  /** Forgets the reservations of the previous pass (its answers are kept to reuse where they hold). */
  reset(): void {
    for (const p of this.reservedPools) this.reserved[p]!.length = 0;
    this.reservedPools.length = 0;
    this.memo.reset();
  }

  /**
   * Records a reservation. GPUs it takes over from an earlier reservation (after that one's end) are
   * released by it alone, so no later reservation can be given them again.
   */
  add(placement: Placement, startAtMs: number, endAtMs: number): void {
    const span: ReservedSpan = {
      pool: placement.pool,
      nodes: placement.nodes,
      masks: placement.masks.slice(),
      placedMasks: placement.masks,
      startAtMs,
      endAtMs,
    };
    this.memo.recordAdd(span, this.state.occ.poolChanges[span.pool]!);
    const claimed = this.claimed;
    const claimedGen = this.nextClaimGeneration();
    for (let k = 0; k < span.nodes.length; k++) {
      const i = span.nodes[k]!;
      claimed[i] = span.masks[k]!;
      this.claimStamp[i] = claimedGen;
    }
    const inPool = this.reserved[span.pool]!;
    if (inPool.length === 0) this.reservedPools.push(span.pool);
    // Only spans that end by this one's start can have freed GPUs it takes; the list is by end time.
    for (const r of inPool) {
      if (r.endAtMs > startAtMs) break;
      for (let k = 0; k < r.nodes.length; k++) {
        const i = r.nodes[k]!;
        if (this.claimStamp[i] === claimedGen) r.masks[k] = (r.masks[k]! & ~claimed[i]!) >>> 0;
      }
    }
    // Keep the list ordered by end time: insert after the last span that ends no later.
    let at = inPool.length;
    while (at > 0 && inPool[at - 1]!.endAtMs > endAtMs) at--;
    if (at === inPool.length) inPool.push(span);
    else inPool.splice(at, 0, span);
  }

  private nextClaimGeneration(): number {
    if (this.claimGeneration === 0xffffffff) {
      this.claimStamp.fill(0);
      this.claimGeneration = 0;
    }
    return ++this.claimGeneration;
  }

  earliest(candidates: PoolRequest[], nowMs: number): ReservationPlan | null {
    let best: ReservationPlan | null = null;
    for (const c of candidates) {
      const plan = this.remembered(c, nowMs, best ? best.atMs : Number.POSITIVE_INFINITY);
      if (plan && (!best || plan.atMs < best.atMs)) best = plan;
    }
    return best;
  }

  /** inPool, or its answer of the pass before where that still holds. */
  private remembered(c: PoolRequest, nowMs: number, beforeMs: number): ReservationPlan | null {
    const p = c.pool.index;
    const changes = this.state.occ.poolChanges[p]!;
    const known = this.memo.lookup(p, c.req, changes, nowMs, beforeMs);
    if (known !== undefined) return known;
    const plan = this.inPool(c, nowMs, beforeMs);
    this.memo.record(p, c.req, changes, beforeMs, plan);
    return plan;
  }

  // The search in progress: inPool sets these so the helpers below need no closures (a closure per
  // search is a measurable share of a pass that makes tens of thousands of searches).
  private gen = 0;
  private req!: PlacementRequest;
  private full = 0;
  /** maskOf as a function value, made once, for pickNodes. */
  private readonly maskOfFn = (i: number): number => this.maskOf(i);

  /** GPUs of node i free at the time being walked to: nodes no release touched read from occupancy. */
  private maskOf(i: number): number {
    const { occ } = this.state;
    return this.stamp[i] === this.gen ? this.scratch[i]! : (occ.free[i]! & ~occ.reserved[i]!) >>> 0;
  }

  private unitOf(i: number): number {
    const { cf } = this.state;
    return this.req.level === DOMAIN ? cf.nodeDomain[i]! : this.req.level === BLOCK ? cf.nodeBlock[i]! : 0;
  }

  /** Adds `by` to the unit's count of the class of mask m: wholly free, or free enough for a partial part. */
  private tally(m: number, unit: number, by: number): void {
    const req = this.req;
    if (m === this.full) this.unitWhole[unit]! += by;
    else if (req.partial > 0 && popcount(m) >= req.partialGpus) this.unitPartial[unit]! += by;
  }

  /** Counts a unit as it stands, the first time a release touches it in this search. */
  private countUnit(unit: number, pool: CompiledPool): void {
    const { cf } = this.state;
    this.unitCounted[unit] = this.gen;
    this.unitWhole[unit] = 0;
    this.unitPartial[unit] = 0;
    const level = this.req.level;
    const domains: ArrayLike<number> =
      level === DOMAIN ? [unit] : level === BLOCK ? cf.blockDomains[unit]! : pool.domains;
    for (let d = 0; d < domains.length; d++) {
      const nodes = cf.domainNodes[domains[d]!]!;
      for (let k = 0; k < nodes.length; k++) this.tally(this.maskOf(nodes[k]!), unit, 1);
    }
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
    this.gen = gen;
    this.req = req;
    const full = fullMaskOf(pool.gpusPerNode);
    this.full = full;
    const whole = this.unitWhole;
    const partial = this.unitPartial;
    const counted = this.unitCounted;
    // Walk two time-ordered lists at once: holdings reaching their limit and reservations ending.
    const holdings = this.state.releases[pool.index]!;
    const spans = this.reserved[pool.index]!;
    let hi = 0;
    let ri = 0;
    // Units (domains, blocks, or the pool) whose nodes the releases at this time touched, each once.
    const touched: number[] = [];
    const unitSeen = this.unitSeen;
    let seen = this.nextUnitGeneration();
    while (hi < holdings.length || ri < spans.length) {
      const atMs = releaseTime(holdings, hi, spans, ri, nowMs);
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
        const unit = this.unitOf(i);
        if (counted[unit] !== gen) this.countUnit(unit, pool);
        const before = this.maskOf(i);
        s[i] = (before | (fromHolding ? masks[k]! & ~occ.reserved[i]! : masks[k]!)) >>> 0;
        stamp[i] = gen;
        this.tally(before, unit, -1);
        this.tally(s[i]!, unit, 1);
        if (unitSeen[unit] !== seen) {
          unitSeen[unit] = seen;
          touched.push(unit);
        }
      }
      if (releaseTime(holdings, hi, spans, ri, nowMs) === atMs && (hi < holdings.length || ri < spans.length))
        continue;
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
          return { atMs, placement: { pool: pool.index, ...pickNodes(unitNodes, full, req, this.maskOfFn) } };
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

/** The next time a holding reaches its limit or a reservation ends, whichever comes first (not before now). */
function releaseTime(
  holdings: ReleaseOrder,
  hi: number,
  spans: ReservedSpan[],
  ri: number,
  nowMs: number,
): number {
  return Math.max(
    nowMs,
    Math.min(
      hi < holdings.length ? holdings.at(hi).limitEndAtMs : Number.POSITIVE_INFINITY,
      ri < spans.length ? spans[ri]!.endAtMs : Number.POSITIVE_INFINITY,
    ),
  );
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
