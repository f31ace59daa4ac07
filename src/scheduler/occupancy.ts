// Which GPUs are free and which are held for reservations, with running counts per NVLink domain,
// network block and pool so that most placement questions are answered without touching nodes.
//
// Every count exists in two views: RAW counts all free GPUs; OPEN leaves out GPUs reserved for a
// blocked job. A job that would still run when the earliest reservation of a pool begins sees the OPEN
// view there; a job that ends before it may use the RAW view — this is what makes backfill safe.
import type { CompiledFacility } from "./compile-facility.ts";

export const RAW = 0;
export const OPEN = 1;
export type View = typeof RAW | typeof OPEN;

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function fullMask(gpus: number): number {
  return gpus >= 32 ? 0xffffffff : ((1 << gpus) - 1) >>> 0;
}

export class Occupancy {
  readonly free: Uint32Array;
  readonly reserved: Uint32Array;
  /** 1 for nodes that are up; starts as the facility says and changes with failures and repairs. */
  readonly up: Uint8Array;
  /** Per view: free GPUs, fully free nodes, and the most free GPUs on one node — per domain. */
  readonly domFree: [Int32Array, Int32Array];
  readonly domFreeNodes: [Int32Array, Int32Array];
  readonly domMaxNodeFree: [Int32Array, Int32Array];
  readonly blkFree: [Int32Array, Int32Array];
  readonly blkFreeNodes: [Int32Array, Int32Array];
  readonly poolFree: [Int32Array, Int32Array];
  readonly poolFreeNodes: [Int32Array, Int32Array];
  /** Earliest reservation start per pool (Infinity = none). */
  readonly poolMinReservationAtMs: Float64Array;
  private readonly poolMax: [Int32Array, Int32Array];
  private readonly poolDirty: Uint8Array;
  private readonly reservedNodes = new Set<number>();

  constructor(readonly cf: CompiledFacility) {
    const n = cf.nodeIds.length;
    const d = cf.domainIds.length;
    const b = cf.blockIds.length;
    const p = cf.pools.length;
    const pair = (len: number): [Int32Array, Int32Array] => [new Int32Array(len), new Int32Array(len)];
    this.free = new Uint32Array(n);
    this.reserved = new Uint32Array(n);
    this.up = Uint8Array.from(cf.nodeUp);
    this.domFree = pair(d);
    this.domFreeNodes = pair(d);
    this.domMaxNodeFree = pair(d);
    this.blkFree = pair(b);
    this.blkFreeNodes = pair(b);
    this.poolFree = pair(p);
    this.poolFreeNodes = pair(p);
    this.poolMinReservationAtMs = new Float64Array(p).fill(Number.POSITIVE_INFINITY);
    // Five maxima per pool: domain free, domain free nodes, node free, block free, block free nodes.
    this.poolMax = pair(p * 5);
    this.poolDirty = new Uint8Array(p).fill(1);
    for (let i = 0; i < n; i++) {
      if (this.up[i] !== 1) continue;
      const g = cf.nodeGpus[i]!;
      this.free[i] = fullMask(g);
      for (const v of [RAW, OPEN] as const) {
        this.domFree[v][cf.nodeDomain[i]!]! += g;
        this.domFreeNodes[v][cf.nodeDomain[i]!]!++;
        this.blkFree[v][cf.nodeBlock[i]!]! += g;
        this.blkFreeNodes[v][cf.nodeBlock[i]!]!++;
        this.poolFree[v][cf.nodePool[i]!]! += g;
        this.poolFreeNodes[v][cf.nodePool[i]!]!++;
        const dm = this.domMaxNodeFree[v];
        if (g > dm[cf.nodeDomain[i]!]!) dm[cf.nodeDomain[i]!] = g;
      }
    }
  }

  /** Free GPUs of node i as seen in a view. */
  usable(i: number, view: View): number {
    return view === RAW ? this.free[i]! : (this.free[i]! & ~this.reserved[i]!) >>> 0;
  }

  /** Marks GPUs as taken (mask bits must be free). */
  take(i: number, mask: number): void {
    this.setNode(i, (this.free[i]! & ~mask) >>> 0, this.reserved[i]!);
  }

  /** Gives GPUs back. */
  give(i: number, mask: number): void {
    if (this.up[i] !== 1) return;
    this.setNode(i, (this.free[i]! | mask) >>> 0, this.reserved[i]!);
  }

  /**
   * Takes a node down (its GPUs vanish from every count) or brings it back with all GPUs free. Jobs on a
   * node going down must have been removed first, and none can hold GPUs on a node coming up.
   */
  setUp(i: number, up: boolean): void {
    if ((this.up[i] === 1) === up) return;
    if (up) {
      this.up[i] = 1;
      this.setNode(i, fullMask(this.cf.nodeGpus[i]!), this.reserved[i]!);
    } else {
      this.setNode(i, 0, this.reserved[i]!);
      this.up[i] = 0;
    }
  }

  reserve(i: number, mask: number, atMs: number): void {
    this.reservedNodes.add(i);
    const p = this.cf.nodePool[i]!;
    if (atMs < this.poolMinReservationAtMs[p]!) this.poolMinReservationAtMs[p] = atMs;
    this.setNode(i, this.free[i]!, (this.reserved[i]! | mask) >>> 0);
  }

  clearReservations(): void {
    for (const i of this.reservedNodes) this.setNode(i, this.free[i]!, 0);
    this.reservedNodes.clear();
    this.poolMinReservationAtMs.fill(Number.POSITIVE_INFINITY);
  }

  /** The view a job ending at `endAtMs` sees in pool p. */
  viewFor(p: number, endAtMs: number): View {
    return endAtMs <= this.poolMinReservationAtMs[p]! ? RAW : OPEN;
  }

  maxDomainFree(p: number, v: View): number {
    return this.max(p, v, 0);
  }
  maxDomainFreeNodes(p: number, v: View): number {
    return this.max(p, v, 1);
  }
  maxNodeFree(p: number, v: View): number {
    return this.max(p, v, 2);
  }
  maxBlockFree(p: number, v: View): number {
    return this.max(p, v, 3);
  }
  maxBlockFreeNodes(p: number, v: View): number {
    return this.max(p, v, 4);
  }

  private max(p: number, v: View, k: number): number {
    if (this.poolDirty[p] === 1) this.recomputePool(p);
    return this.poolMax[v][p * 5 + k]!;
  }

  private recomputePool(p: number): void {
    const pool = this.cf.pools[p]!;
    for (const v of [RAW, OPEN] as const) {
      let df = 0;
      let dn = 0;
      let nf = 0;
      const domFree = this.domFree[v];
      const domFreeNodes = this.domFreeNodes[v];
      const domMax = this.domMaxNodeFree[v];
      for (const d of pool.domains) {
        if (domFree[d]! > df) df = domFree[d]!;
        if (domFreeNodes[d]! > dn) dn = domFreeNodes[d]!;
        if (domMax[d]! > nf) nf = domMax[d]!;
      }
      let bf = 0;
      let bn = 0;
      for (const b of pool.blocks) {
        if (this.blkFree[v][b]! > bf) bf = this.blkFree[v][b]!;
        if (this.blkFreeNodes[v][b]! > bn) bn = this.blkFreeNodes[v][b]!;
      }
      const m = this.poolMax[v];
      m[p * 5] = df;
      m[p * 5 + 1] = dn;
      m[p * 5 + 2] = nf;
      m[p * 5 + 3] = bf;
      m[p * 5 + 4] = bn;
    }
    this.poolDirty[p] = 0;
  }

  private setNode(i: number, free: number, reserved: number): void {
    const oldRaw = this.free[i]!;
    const oldOpen = (oldRaw & ~this.reserved[i]!) >>> 0;
    this.free[i] = free;
    this.reserved[i] = reserved;
    this.account(i, RAW, oldRaw, free);
    this.account(i, OPEN, oldOpen, (free & ~reserved) >>> 0);
  }

  /** Moves node i's contribution to the counts of view v from one free mask to another. */
  private account(i: number, v: View, before: number, after: number): void {
    if (before === after) return;
    const cf = this.cf;
    const full = fullMask(cf.nodeGpus[i]!);
    const d = cf.nodeDomain[i]!;
    const b = cf.nodeBlock[i]!;
    const p = cf.nodePool[i]!;
    const countBefore = popcount(before);
    const countAfter = popcount(after);
    const dc = countAfter - countBefore;
    const dn = (after === full ? 1 : 0) - (before === full ? 1 : 0);
    this.domFree[v][d]! += dc;
    this.domFreeNodes[v][d]! += dn;
    this.blkFree[v][b]! += dc;
    this.blkFreeNodes[v][b]! += dn;
    this.poolFree[v][p]! += dc;
    this.poolFreeNodes[v][p]! += dn;
    const dm = this.domMaxNodeFree[v];
    if (countAfter >= dm[d]!) dm[d] = countAfter;
    else if (countBefore === dm[d]) {
      // This node may have been the fullest-free one: look again.
      let m = 0;
      for (const j of cf.domainNodes[d]!) {
        const c = popcount(this.usable(j, v));
        if (c > m) m = c;
      }
      dm[d] = m;
    }
    this.poolDirty[p] = 1;
  }
}
