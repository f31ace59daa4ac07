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

/** GPUs that come free at a time: a holding reaching its limit, or a reservation's job reaching its limit. */
interface Release {
  atMs: number;
  nodes: number[];
  masks: number[];
  /** Reserved GPUs are released whole; a holding's GPUs only where no reservation claims them. */
  reserved: boolean;
}

export interface ReservedSpan {
  pool: number;
  nodes: number[];
  masks: number[];
  endAtMs: number;
}

export class ReservationFinder {
  private readonly scratch: Uint32Array;
  private readonly releaseOrder = new Map<number, { version: number; events: Release[] }>();
  /** Reservations made so far in this pass. */
  private readonly reserved: ReservedSpan[] = [];

  constructor(private readonly state: PassState) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
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
  }

  earliest(candidates: PoolRequest[], nowMs: number, version: number): ReservationPlan | null {
    let best: ReservationPlan | null = null;
    for (const c of candidates) {
      const plan = this.inPool(c, nowMs, version, best ? best.atMs : Number.POSITIVE_INFINITY);
      if (plan && (!best || plan.atMs < best.atMs)) best = plan;
    }
    return best;
  }

  /** Releases in a pool by time, rebuilt only when the pass changed holdings or reservations. */
  private events(p: number, version: number): Release[] {
    const key = version * 1024 + this.reserved.length;
    const cached = this.releaseOrder.get(p);
    if (cached && cached.version === key) return cached.events;
    const events: Release[] = [];
    for (const h of this.state.holdings)
      if (h.live && h.pool === p)
        events.push({ atMs: h.limitEndAtMs, nodes: h.nodes, masks: h.masks, reserved: false });
    for (const r of this.reserved)
      if (r.pool === p) events.push({ atMs: r.endAtMs, nodes: r.nodes, masks: r.masks, reserved: true });
    // Stable sort keeps holdings (in handle order) before reservations at the same time.
    events.sort((a, b) => a.atMs - b.atMs);
    this.releaseOrder.set(p, { version: key, events });
    return events;
  }

  private inPool(
    { pool, req }: PoolRequest,
    nowMs: number,
    version: number,
    beforeMs: number,
  ): ReservationPlan | null {
    const { cf, occ } = this.state;
    const s = this.scratch;
    const full = fullMaskOf(pool.gpusPerNode);
    const maskOf = (i: number) => s[i]!;
    for (const d of pool.domains)
      for (const i of cf.domainNodes[d]!) s[i] = (occ.free[i]! & ~occ.reserved[i]!) >>> 0;
    const nodesOf = (unit: number): ArrayLike<number> =>
      req.level === DOMAIN ? cf.domainNodes[unit]! : blockNodes(cf.blockDomains[unit]!, cf.domainNodes);
    const events = this.events(pool.index, version);
    let touched = new Set<number>();
    for (let e = 0; e < events.length; e++) {
      const h = events[e]!;
      const atMs = Math.max(nowMs, h.atMs);
      if (atMs >= beforeMs) return null;
      for (let k = 0; k < h.nodes.length; k++) {
        const i = h.nodes[k]!;
        if (cf.nodeUp[i] !== 1) continue;
        s[i] = (s[i]! | (h.reserved ? h.masks[k]! : h.masks[k]! & ~occ.reserved[i]!)) >>> 0;
        touched.add(req.level === DOMAIN ? cf.nodeDomain[i]! : req.level === BLOCK ? cf.nodeBlock[i]! : 0);
      }
      const nextAt = e + 1 < events.length ? Math.max(nowMs, events[e + 1]!.atMs) : Infinity;
      if (nextAt === atMs) continue;
      const units = [...touched].sort((a, b) => a - b);
      touched = new Set();
      for (const unit of units) {
        const nodes =
          req.level === BLOCK || req.level === DOMAIN ? nodesOf(unit) : poolNodes(pool, cf.domainNodes);
        if (fitsNodes(nodes, full, req, maskOf)) {
          return { atMs, placement: { pool: pool.index, ...pickNodes(nodes, full, req, maskOf) } };
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
