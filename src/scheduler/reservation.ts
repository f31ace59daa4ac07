// The earliest time a blocked job is sure to fit, and on which GPUs. Running jobs are assumed to run to
// their hard limit (they cannot run longer), so the reservation holds whatever the real runtimes are.
// GPUs already reserved for an earlier job stay out of reach.
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

export class ReservationFinder {
  private readonly scratch: Uint32Array;
  private readonly releaseOrder = new Map<number, { version: number; events: number[] }>();

  constructor(private readonly state: PassState) {
    this.scratch = new Uint32Array(state.cf.nodeIds.length);
  }

  earliest(candidates: PoolRequest[], nowMs: number, version: number): ReservationPlan | null {
    let best: ReservationPlan | null = null;
    for (const c of candidates) {
      const plan = this.inPool(c, nowMs, version, best ? best.atMs : Number.POSITIVE_INFINITY);
      if (plan && (!best || plan.atMs < best.atMs)) best = plan;
    }
    return best;
  }

  /** Holdings of a pool by limit end, rebuilt only when the pass changed holdings. */
  private events(p: number, version: number): number[] {
    const cached = this.releaseOrder.get(p);
    if (cached && cached.version === version) return cached.events;
    const hs = this.state.holdings;
    const events: number[] = [];
    for (const h of hs) if (h.live && h.pool === p) events.push(h.handle);
    events.sort((a, b) => hs[a]!.limitEndAtMs - hs[b]!.limitEndAtMs || a - b);
    this.releaseOrder.set(p, { version, events });
    return events;
  }

  private inPool({ pool, req }: PoolRequest, nowMs: number, version: number, beforeMs: number): ReservationPlan | null {
    const { cf, occ, holdings } = this.state;
    const s = this.scratch;
    const full = fullMaskOf(pool.gpusPerNode);
    const maskOf = (i: number) => s[i]!;
    for (const d of pool.domains) for (const i of cf.domainNodes[d]!) s[i] = (occ.free[i]! & ~occ.reserved[i]!) >>> 0;
    const nodesOf = (unit: number): ArrayLike<number> =>
      req.level === DOMAIN ? cf.domainNodes[unit]! : blockNodes(cf.blockDomains[unit]!, cf.domainNodes);
    const events = this.events(pool.index, version);
    let touched = new Set<number>();
    for (let e = 0; e < events.length; e++) {
      const h = holdings[events[e]!]!;
      const atMs = Math.max(nowMs, h.limitEndAtMs);
      if (atMs >= beforeMs) return null;
      for (let k = 0; k < h.nodes.length; k++) {
        const i = h.nodes[k]!;
        if (cf.nodeUp[i] !== 1) continue;
        s[i] = (s[i]! | (h.masks[k]! & ~occ.reserved[i]!)) >>> 0;
        touched.add(req.level === DOMAIN ? cf.nodeDomain[i]! : req.level === BLOCK ? cf.nodeBlock[i]! : 0);
      }
      const nextAt = e + 1 < events.length ? Math.max(nowMs, holdings[events[e + 1]!]!.limitEndAtMs) : Infinity;
      if (nextAt === atMs) continue;
      const units = [...touched].sort((a, b) => a - b);
      touched = new Set();
      for (const unit of units) {
        const nodes = req.level === BLOCK || req.level === DOMAIN ? nodesOf(unit) : poolNodes(pool, cf.domainNodes);
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
