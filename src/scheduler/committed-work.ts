// Estimated work still ahead of the running jobs, in GPU-milliseconds, per tenant (fair share's committed
// GPU-hours) and per pool (the fluid estimate's work ahead). A running job counts GPUs × (estimated end −
// now) until its estimated end and nothing after it. Kept up to date as jobs start and end, and as time
// passes, so a pass reads it in O(tenants + pools) instead of walking every running job.
//
// Sums are exact: Σ GPUs × (end − now) = Σ GPUs × end − now × Σ GPUs over the jobs not yet at their end, with
// the whole milliseconds summed as BigInt, so the figure does not depend on the order jobs came and went in
// (a session and the pure pass on the same jobs agree to the bit). Only fractions of a millisecond, which
// integer-millisecond inputs never have, are summed as doubles. A pass reads each sum through a cache of it
// relative to a base time, exact as a double, so BigInt arithmetic happens only where a sum changed.
// Shares of one GPU (Holding.gpuMilli) are summed apart, in thousandths of a GPU, exactly as well.
import { GPU_MILLI } from "../model/job-shape.ts";
import type { Holding } from "./holding.ts";

/** Whole numbers up to this are exact doubles. */
const EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** A new base time after this long keeps GPUs × (now − base) small. */
const REBASE_MS = 2 ** 31;

export class CommittedWork {
  /** Slots 0 … pools − 1 are pools; tenants get the slots after them as they first appear. */
  private readonly tenantSlots = new Map<string, number>();
  private readonly endMs: bigint[] = [];
  private readonly endFractionMs: number[] = [];
  private readonly gpus: number[] = [];
  /** Counted holdings by estimated end (a min-heap); removed ones are dropped when they reach the top. */
  private readonly byEnd: Holding[] = [];
  /** The time the sums are for: every counted holding ends after it. */
  private atMs = Number.NEGATIVE_INFINITY;
  /** Per slot: Σ GPUs × (⌊end⌋ − baseMs) when exact as a double, Infinity when not, NaN until computed. */
  private readonly relative: number[] = [];
  private baseMs = 0;
  /** The shares of a GPU, counted in thousandths; none in the instance that counts them. */
  private readonly shares: CommittedWork | null;

  /** `inMilli`: this instance counts shares of a GPU, in thousandths, and nothing else. */
  constructor(
    poolCount: number,
    private readonly inMilli = false,
  ) {
    for (let p = 0; p < poolCount; p++) this.addSlot();
    this.shares = inMilli ? null : new CommittedWork(poolCount, true);
  }

  add(h: Holding): void {
    if (this.shares && h.gpuMilli > 0) {
      this.shares.add(h);
      return;
    }
    if (!(h.estimatedEndAtMs > this.atMs)) return;
    this.count(h, 1);
    this.push(h);
  }

  /** Call before the holding is marked dead. */
  remove(h: Holding): void {
    if (this.shares && h.gpuMilli > 0) this.shares.remove(h);
    else if (h.estimatedEndAtMs > this.atMs) this.count(h, -1);
  }

  /**
   * Moves the sums to `nowMs`, dropping jobs that reached their estimated end. Time going backwards (a
   * caller replaying an earlier instant) rebuilds the sums from the live holdings.
   */
  advance(nowMs: number, live: () => Iterable<Holding>): void {
    this.shares?.advance(nowMs, live);
    if (nowMs < this.atMs) {
      for (let s = 0; s < this.gpus.length; s++) {
        this.relative[s] = Number.NaN;
        this.endMs[s] = 0n;
        this.endFractionMs[s] = 0;
        this.gpus[s] = 0;
      }
      this.byEnd.length = 0;
      this.atMs = nowMs;
      for (const h of live()) if (h.gpuMilli > 0 === this.inMilli) this.add(h);
      return;
    }
    this.atMs = nowMs;
    while (this.byEnd.length > 0 && this.byEnd[0]!.estimatedEndAtMs <= nowMs) {
      const h = this.pop();
      if (h.live) this.count(h, -1);
    }
  }

  /** GPU-milliseconds ahead of the tenant's running jobs at the time last advanced to. */
  tenantGpuMs(tenantId: string): number {
    const s = this.tenantSlots.get(tenantId);
    const whole = s === undefined ? 0 : this.gpuMs(s);
    return this.shares ? whole + this.shares.tenantGpuMs(tenantId) / GPU_MILLI : whole;
  }

  poolGpuMs(pool: number): number {
    return this.shares ? this.gpuMs(pool) + this.shares.poolGpuMs(pool) / GPU_MILLI : this.gpuMs(pool);
  }

  private gpuMs(s: number): number {
    const gpus = this.gpus[s]!;
    if (gpus === 0) return 0;
    const whole = Math.floor(this.atMs);
    const fraction = this.endFractionMs[s]! - gpus * (this.atMs - whole);
    if (whole < this.baseMs || whole - this.baseMs > REBASE_MS) {
      this.baseMs = whole;
      this.relative.fill(Number.NaN);
    }
    // Σ GPUs × (end − base), cached until the slot changes: whole numbers below 2^53 are exact doubles, so
    // it minus GPUs × (now − base) is the exact figure (it lies between 0 and it), without a BigInt per pass.
    let relative = this.relative[s]!;
    if (Number.isNaN(relative)) {
      const exact = this.endMs[s]! - BigInt(gpus) * BigInt(this.baseMs);
      relative = exact <= EXACT && exact >= -EXACT ? Number(exact) : Number.POSITIVE_INFINITY;
      this.relative[s] = relative;
    }
    const elapsed = gpus * (whole - this.baseMs);
    if (relative !== Number.POSITIVE_INFINITY && elapsed <= Number.MAX_SAFE_INTEGER)
      return relative - elapsed + fraction;
    return Number(this.endMs[s]! - BigInt(gpus) * BigInt(whole)) + fraction;
  }

  private count(h: Holding, sign: 1 | -1): void {
    const whole = Math.floor(h.estimatedEndAtMs);
    const gpus = sign * (this.inMilli ? h.gpuMilli : h.gpus);
    const gpuMs = BigInt(gpus) * BigInt(whole);
    const fraction = gpus * (h.estimatedEndAtMs - whole);
    this.addTo(h.pool, gpuMs, fraction, gpus);
    this.addTo(this.tenantSlot(h.job.tenantId), gpuMs, fraction, gpus);
  }

  private addTo(s: number, gpuMs: bigint, fraction: number, gpus: number): void {
    this.relative[s] = Number.NaN;
    this.endMs[s]! += gpuMs;
    this.endFractionMs[s]! += fraction;
    this.gpus[s]! += gpus;
  }

  private tenantSlot(tenantId: string): number {
    let s = this.tenantSlots.get(tenantId);
    if (s === undefined) {
      s = this.addSlot();
      this.tenantSlots.set(tenantId, s);
    }
    return s;
  }

  private addSlot(): number {
    this.relative.push(Number.NaN);
    this.endMs.push(0n);
    this.endFractionMs.push(0);
    this.gpus.push(0);
    return this.gpus.length - 1;
  }

  private push(h: Holding): void {
    const heap = this.byEnd;
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.estimatedEndAtMs <= h.estimatedEndAtMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = h;
  }

  private pop(): Holding {
    const heap = this.byEnd;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && heap[r]!.estimatedEndAtMs < heap[l]!.estimatedEndAtMs ? r : l;
        if (heap[c]!.estimatedEndAtMs >= last.estimatedEndAtMs) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
