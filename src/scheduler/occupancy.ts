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
const VIEWS = [RAW, OPEN] as const;

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
  /** Changes to each domain's nodes (free, reserved or up), counted so caches know when to rebuild. */
  readonly domainChanges: Uint32Array;
  /**
   * Changes to each pool's free GPUs, nodes up and jobs (not to its reservations), counted so the
   * reservation search knows when a result of the pass before still holds.
   */
  readonly poolChanges: Uint32Array;
  /**
   * Per view and pool, how many domains have each figure (free GPUs, fully free nodes, most free GPUs on
   * one node), so the pool's maxima follow every change in O(1) instead of a pass over its domains: a
   * pool of a thousand racks changes on every start and end.
   */
  private readonly domainCounts: DomainCounts[][];
  /** Block maxima per view and pool: blocks are few, so they are recounted when asked for after a change. */
  private readonly blockMax: [Int32Array, Int32Array];
  private readonly blocksDirty: Uint8Array;
  /** Nodes with reserved GPUs (a node may appear more than once). */
  private readonly reservedNodes: number[] = [];
  private reservedCount = 0;

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
    this.domainChanges = new Uint32Array(d);
    this.poolChanges = new Uint32Array(p);
    // Two maxima per pool: block free GPUs, block free nodes.
    this.blockMax = pair(p * 2);
    this.blocksDirty = new Uint8Array(p).fill(1);
    for (let i = 0; i < n; i++) {
      if (this.up[i] !== 1) continue;
      const g = cf.nodeGpus[i]!;
      this.free[i] = fullMask(g);
      for (const v of VIEWS) {
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
    this.domainCounts = VIEWS.map((v) =>
      cf.pools.map((pool) => {
        let nodes = 0;
        for (const dd of pool.domains) nodes = Math.max(nodes, cf.domainNodes[dd]!.length);
        const counts = new DomainCounts(pool.maxDomainGpus, nodes, pool.gpusPerNode);
        for (const dd of pool.domains)
          counts.add(this.domFree[v][dd]!, this.domFreeNodes[v][dd]!, this.domMaxNodeFree[v][dd]!);
        return counts;
      }),
    );
  }

  /** usable(i, view) for each view, as functions made once (placement reads masks through them). */
  readonly usableIn: readonly [(i: number) => number, (i: number) => number] = [
    (i) => this.free[i]!,
    (i) => (this.free[i]! & ~this.reserved[i]!) >>> 0,
  ];

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
    this.poolChanges[this.cf.nodePool[i]!]!++;
    if (up) {
      this.up[i] = 1;
      this.setNode(i, fullMask(this.cf.nodeGpus[i]!), this.reserved[i]!);
    } else {
      this.setNode(i, 0, this.reserved[i]!);
      this.up[i] = 0;
    }
  }

  /** Counts a change to pool p that the masks do not show (a job added or removed on a node that is down). */
  touchPool(p: number): void {
    this.poolChanges[p]!++;
  }

  reserve(i: number, mask: number, atMs: number): void {
    this.reservedNodes[this.reservedCount++] = i;
    const p = this.cf.nodePool[i]!;
    if (atMs < this.poolMinReservationAtMs[p]!) this.poolMinReservationAtMs[p] = atMs;
    this.setNode(i, this.free[i]!, (this.reserved[i]! | mask) >>> 0);
  }

  clearReservations(): void {
    for (let k = 0; k < this.reservedCount; k++) {
      const i = this.reservedNodes[k]!;
      if (this.reserved[i] !== 0) this.setNode(i, this.free[i]!, 0);
    }
    this.reservedCount = 0;
    this.poolMinReservationAtMs.fill(Number.POSITIVE_INFINITY);
  }

  /** The view a job ending at `endAtMs` sees in pool p. */
  viewFor(p: number, endAtMs: number): View {
    return endAtMs <= this.poolMinReservationAtMs[p]! ? RAW : OPEN;
  }

  maxDomainFree(p: number, v: View): number {
    return this.domainCounts[v]![p]!.maxFree();
  }
  maxDomainFreeNodes(p: number, v: View): number {
    return this.domainCounts[v]![p]!.maxFreeNodes();
  }
  maxNodeFree(p: number, v: View): number {
    return this.domainCounts[v]![p]!.maxNodeFree();
  }
  maxBlockFree(p: number, v: View): number {
    if (this.blocksDirty[p] === 1) this.recountBlocks(p);
    return this.blockMax[v][p * 2]!;
  }
  maxBlockFreeNodes(p: number, v: View): number {
    if (this.blocksDirty[p] === 1) this.recountBlocks(p);
    return this.blockMax[v][p * 2 + 1]!;
  }

  private recountBlocks(p: number): void {
    const pool = this.cf.pools[p]!;
    for (const v of VIEWS) {
      let bf = 0;
      let bn = 0;
      for (const b of pool.blocks) {
        if (this.blkFree[v][b]! > bf) bf = this.blkFree[v][b]!;
        if (this.blkFreeNodes[v][b]! > bn) bn = this.blkFreeNodes[v][b]!;
      }
      this.blockMax[v][p * 2] = bf;
      this.blockMax[v][p * 2 + 1] = bn;
    }
    this.blocksDirty[p] = 0;
  }

  private setNode(i: number, free: number, reserved: number): void {
    const oldRaw = this.free[i]!;
    const oldOpen = (oldRaw & ~this.reserved[i]!) >>> 0;
    if (free !== oldRaw) this.poolChanges[this.cf.nodePool[i]!]!++;
    this.free[i] = free;
    this.reserved[i] = reserved;
    this.domainChanges[this.cf.nodeDomain[i]!]!++;
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
    const counts = this.domainCounts[v]![p]!;
    counts.remove(this.domFree[v][d]!, this.domFreeNodes[v][d]!, this.domMaxNodeFree[v][d]!);
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
    counts.add(this.domFree[v][d]!, this.domFreeNodes[v][d]!, dm[d]!);
    this.blocksDirty[p] = 1;
  }
}

/** How many of a pool's domains have each figure, and so the greatest of each. */
class DomainCounts {
  private readonly free: Int32Array;
  private readonly freeNodes: Int32Array;
  private readonly nodeFree: Int32Array;
  /** Upper bounds on the maxima: raised at once, lowered when read. */
  private topFree = 0;
  private topFreeNodes = 0;
  private topNodeFree = 0;

  constructor(maxFree: number, maxFreeNodes: number, maxNodeFree: number) {
    this.free = new Int32Array(maxFree + 1);
    this.freeNodes = new Int32Array(maxFreeNodes + 1);
    this.nodeFree = new Int32Array(maxNodeFree + 1);
  }

  add(free: number, freeNodes: number, nodeFree: number): void {
    this.free[free]!++;
    this.freeNodes[freeNodes]!++;
    this.nodeFree[nodeFree]!++;
    if (free > this.topFree) this.topFree = free;
    if (freeNodes > this.topFreeNodes) this.topFreeNodes = freeNodes;
    if (nodeFree > this.topNodeFree) this.topNodeFree = nodeFree;
  }

  remove(free: number, freeNodes: number, nodeFree: number): void {
    this.free[free]!--;
    this.freeNodes[freeNodes]!--;
    this.nodeFree[nodeFree]!--;
  }

  maxFree(): number {
    while (this.topFree > 0 && this.free[this.topFree] === 0) this.topFree--;
    return this.topFree;
  }

  maxFreeNodes(): number {
    while (this.topFreeNodes > 0 && this.freeNodes[this.topFreeNodes] === 0) this.topFreeNodes--;
    return this.topFreeNodes;
  }

  maxNodeFree(): number {
    while (this.topNodeFree > 0 && this.nodeFree[this.topNodeFree] === 0) this.topNodeFree--;
    return this.topNodeFree;
  }
}
