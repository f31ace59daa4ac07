// The earliest time a blocked job is sure to fit, and on which GPUs. Running jobs are assumed to run to
// their hard limit (they cannot run longer), so the reservation holds whatever the real runtimes are.
// GPUs reserved for an earlier job come within reach only when that job would reach its own limit.
import type { CompiledPool } from "./compile-facility.ts";
import type { PassState } from "./pass-state.ts";
import { fitsNodes, fullMaskOf, type Placement, pickNodes } from "./placement.ts";
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
  /** Reservations made so far in this pass, by end time. */
  private reserved: ReservedSpan[] = [];

  constructor(private readonly state: PassState) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
    this.stamp = new Uint32Array(state.cf.nodeIds.length);
  }

  /**
   * Records a reservation. GPUs it takes over from an earlier reservation (after that one's end) are
   * released by it alone, so no later reservation can be given them again.
   */
  /** Forgets the reservations of the previous pass. */
  reset(): void {
    this.reserved = [];
  }

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
      this.generation = 0;
    }
    const gen = ++this.generation;
    const full = fullMaskOf(pool.gpusPerNode);
    // Nodes no release has touched yet read straight from occupancy: no pass over the whole pool.
    const maskOf = (i: number) => (stamp[i] === gen ? s[i]! : (occ.free[i]! & ~occ.reserved[i]!) >>> 0);
    const nodesOf = (unit: number): ArrayLike<number> =>
      req.level === DOMAIN ? cf.domainNodes[unit]! : blockNodes(cf.blockDomains[unit]!, cf.domainNodes);
    // Walk two time-ordered lists at once: holdings reaching their limit and reservations ending.
    const holdings = this.state.releases[pool.index]!;
    const spans = this.reserved.filter((r) => r.pool === pool.index);
    let hi = 0;
    let ri = 0;
    const timeOf = (k: number, r: number) =>
      Math.max(
        nowMs,
        Math.min(
          holdings[k]?.limitEndAtMs ?? Number.POSITIVE_INFINITY,
          spans[r]?.endAtMs ?? Number.POSITIVE_INFINITY,
        ),
      );
    let touched = new Set<number>();
    while (hi < holdings.length || ri < spans.length) {
      const atMs = timeOf(hi, ri);
      if (atMs >= beforeMs) return null;
      // Holdings first at equal times, then reservations: both are free by atMs.
      const fromHolding = hi < holdings.length && Math.max(nowMs, holdings[hi]!.limitEndAtMs) === atMs;
      const nodes = fromHolding ? holdings[hi]!.nodes : spans[ri]!.nodes;
      const masks = fromHolding ? holdings[hi]!.masks : spans[ri]!.masks;
      if (fromHolding) hi++;
      else ri++;
      for (let k = 0; k < nodes.length; k++) {
        const i = nodes[k]!;
        if (occ.up[i] !== 1) continue;
        s[i] = (maskOf(i) | (fromHolding ? masks[k]! & ~occ.reserved[i]! : masks[k]!)) >>> 0;
        stamp[i] = gen;
        touched.add(req.level === DOMAIN ? cf.nodeDomain[i]! : req.level === BLOCK ? cf.nodeBlock[i]! : 0);
      }
      if (timeOf(hi, ri) === atMs && (hi < holdings.length || ri < spans.length)) continue;
      const units = [...touched].sort((a, b) => a - b);
      touched = new Set();
      for (const unit of units) {
        const unitNodes =
          req.level === BLOCK || req.level === DOMAIN ? nodesOf(unit) : poolNodes(pool, cf.domainNodes);
        if (fitsNodes(unitNodes, full, req, maskOf)) {
          return { atMs, placement: { pool: pool.index, ...pickNodes(unitNodes, full, req, maskOf) } };
        }
      }
    }
    return null;
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
