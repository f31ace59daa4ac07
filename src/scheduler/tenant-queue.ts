// One tenant's queued jobs in the tenant's own order (priority, then submission, then id), kept in chunks
// of at most a few hundred: a job arriving or leaving shifts one chunk, not a queue of tens of thousands.
//
// Each job carries a size key (Candidate.sizeKey): its GPUs when only the tier's guarantee, its borrowing
// limit and the tenant's quota can keep it from being looked at, −∞ when a pass must always look at it.
// Per chunk the queue keeps the least and greatest key, and a pass asks "where is the next job of at most
// T GPUs after position p?", so it steps over a tenant's run of jobs that its quota holds back in
// O(chunk + log chunks) instead of one by one. Positions are valid while the queue is not changed; a
// pass never changes the queue it walks.
import type { Candidate } from "./candidate.ts";

/** A chunk splits in two when it grows past this many jobs. */
const DEFAULT_CHUNK_LIMIT = 128;

export class TenantQueue {
  private chunks: Candidate[][] = [];
  /** Least and greatest size key per chunk, kept up to date as chunks change. */
  private chunkMin: number[] = [];
  private chunkMax: number[] = [];
  private count = 0;
  /**
   * Where each chunk starts, and the trees: kept up to date as jobs come and go, and rebuilt when first
   * needed after chunks came or went (stale).
   */
  private stale = true;
  private starts = new Int32Array(1);
  private minTree = new ChunkTree("min");
  private maxTree = new ChunkTree("max");
  private lastChunk = 0;

  constructor(
    readonly tenantId: string,
    private readonly compare: (a: Candidate, b: Candidate) => number,
    private readonly chunkLimit = DEFAULT_CHUNK_LIMIT,
  ) {}

  get length(): number {
    return this.count;
  }

  insert(c: Candidate): void {
    if (this.chunks.length === 0) {
      this.chunks.push([c]);
      this.chunkMin.push(c.sizeKey);
      this.chunkMax.push(c.sizeKey);
      this.stale = true;
    } else {
      // The first chunk whose last job comes after c, or the last chunk.
      const k = Math.min(this.chunkAfter(c), this.chunks.length - 1);
      const chunk = this.chunks[k]!;
      chunk.splice(indexIn(chunk, c, this.compare), 0, c);
      if (chunk.length > this.chunkLimit) this.split(k);
      else {
        if (c.sizeKey < this.chunkMin[k]!) this.chunkMin[k] = c.sizeKey;
        if (c.sizeKey > this.chunkMax[k]!) this.chunkMax[k] = c.sizeKey;
        this.chunkChanged(k, 1);
      }
    }
    this.count++;
  }

  /** Removes c (found by its order, so c must be in the queue); false if it is not. */
  remove(c: Candidate): boolean {
    const k = this.chunkAfter(c);
    const chunk = this.chunks[k];
    if (!chunk) return false;
    const i = indexIn(chunk, c, this.compare);
    if (chunk[i] !== c) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) {
      this.chunks.splice(k, 1);
      this.chunkMin.splice(k, 1);
      this.chunkMax.splice(k, 1);
      this.stale = true;
    } else {
      if (c.sizeKey === this.chunkMin[k] || c.sizeKey === this.chunkMax[k]) this.summarise(k);
      this.chunkChanged(k, -1);
    }
    this.count--;
    return true;
  }

  /**
   * Chunk k gained or lost a job without chunks coming or going: later chunks start one place later or
   * earlier, and k's key bounds may have changed. O(chunks) in plain integer steps, no rebuild.
   */
  private chunkChanged(k: number, delta: 1 | -1): void {
    if (this.stale) return;
    for (let j = k + 1; j <= this.chunks.length; j++) this.starts[j]! += delta;
    this.minTree.set(k, this.chunkMin[k]!);
    this.maxTree.set(k, this.chunkMax[k]!);
  }

  /** Replaces the contents with jobs already in order (a bulk load). */
  reset(sorted: Candidate[]): void {
    const size = this.chunkLimit >> 1 || 1;
    this.chunks = [];
    this.chunkMin = [];
    this.chunkMax = [];
    for (let from = 0; from < sorted.length; from += size) {
      this.chunks.push(sorted.slice(from, from + size));
      this.summarise(this.chunks.length - 1);
    }
    this.count = sorted.length;
    this.stale = true;
  }

  /** Every job, in order. */
  toArray(): Candidate[] {
    return this.chunks.flat();
  }

  at(pos: number): Candidate {
    const k = this.chunkOf(pos);
    return this.chunks[k]![pos - this.starts[k]!]!;
  }

  /** The first position in [from, to) whose job's size key is at most `atMost`; `to` if there is none. */
  firstAtMost(from: number, to: number, atMost: number): number {
    if (from >= to) return to;
    let k = this.chunkOf(from);
    // The rest of the first chunk, one job at a time.
    const chunk = this.chunks[k]!;
    const start = this.starts[k]!;
    const end = Math.min(to, start + chunk.length);
    if (this.chunkMin[k]! <= atMost)
      for (let pos = from; pos < end; pos++) if (chunk[pos - start]!.sizeKey <= atMost) return pos;
    if (end === to) return to;
    // Whole chunks by their least key, then the chunk found, one job at a time.
    k = this.minTree.firstAtMost(k + 1, atMost);
    if (k < 0 || this.starts[k]! >= to) return to;
    const found = this.chunks[k]!;
    for (let i = 0; i < found.length && this.starts[k]! + i < to; i++)
      if (found[i]!.sizeKey <= atMost) return this.starts[k]! + i;
    return to;
  }

  /** The first position at or after `from` whose job's size key is above `value`; the length if none. */
  firstAbove(from: number, value: number): number {
    if (from >= this.count) return this.count;
    let k = this.chunkOf(from);
    const chunk = this.chunks[k]!;
    const start = this.starts[k]!;
    if (this.chunkMax[k]! > value)
      for (let pos = from; pos < start + chunk.length; pos++)
        if (chunk[pos - start]!.sizeKey > value) return pos;
    k = this.maxTree.firstAbove(k + 1, value);
    if (k < 0 || k >= this.chunks.length) return this.count;
    const found = this.chunks[k]!;
    for (let i = 0; i < found.length; i++) if (found[i]!.sizeKey > value) return this.starts[k]! + i;
    return this.count;
  }

  /** Least size key of the whole queue. */
  minKey(): number {
    this.refresh();
    return this.minTree.over(0, this.chunks.length);
  }

  /** Greatest size key of the whole queue. */
  maxKey(): number {
    this.refresh();
    return this.maxTree.over(0, this.chunks.length);
  }

  /** Least size key over positions [from, to), which must not be empty. */
  minKeyIn(from: number, to: number): number {
    return this.keyIn(from, to, this.minTree, -1);
  }

  /** Greatest size key over positions [from, to), which must not be empty. */
  maxKeyIn(from: number, to: number): number {
    return this.keyIn(from, to, this.maxTree, 1);
  }

  /** The least (sign −1) or greatest (sign 1) key over [from, to): partial chunks job by job, whole ones by tree. */
  private keyIn(from: number, to: number, tree: ChunkTree, sign: 1 | -1): number {
    const first = this.chunkOf(from);
    const last = this.chunkOf(to - 1);
    let best = sign * Number.NEGATIVE_INFINITY;
    const better = (key: number) => (sign > 0 ? key > best : key < best);
    const scan = (k: number, lo: number, hi: number) => {
      const chunk = this.chunks[k]!;
      for (let pos = lo; pos < hi; pos++) {
        const key = chunk[pos - this.starts[k]!]!.sizeKey;
        if (better(key)) best = key;
      }
    };
    if (first === last) scan(first, from, to);
    else {
      scan(first, from, this.starts[first + 1]!);
      scan(last, this.starts[last]!, to);
      if (last > first + 1) {
        const whole = tree.over(first + 1, last);
        if (better(whole)) best = whole;
      }
    }
    return best;
  }

  /** Index of the first chunk whose last job does not come before c; chunks.length if none. */
  private chunkAfter(c: Candidate): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (this.compare(chunk[chunk.length - 1]!, c) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private chunkOf(pos: number): number {
    this.refresh();
    const k = this.lastChunk;
    if (k < this.chunks.length && this.starts[k]! <= pos && pos < this.starts[k + 1]!) return k;
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    this.lastChunk = lo;
    return lo;
  }

  private refresh(): void {
    if (!this.stale) return;
    const n = this.chunks.length;
    if (this.starts.length < n + 1) this.starts = new Int32Array(2 * n + 1);
    for (let k = 0; k < n; k++) this.starts[k + 1] = this.starts[k]! + this.chunks[k]!.length;
    this.minTree.build(this.chunkMin);
    this.maxTree.build(this.chunkMax);
    this.lastChunk = 0;
    this.stale = false;
  }

  private split(k: number): void {
    this.stale = true;
    const chunk = this.chunks[k]!;
    const tail = chunk.splice(chunk.length >> 1);
    this.chunks.splice(k + 1, 0, tail);
    this.chunkMin.splice(k + 1, 0, 0);
    this.chunkMax.splice(k + 1, 0, 0);
    this.summarise(k);
    this.summarise(k + 1);
  }

  private summarise(k: number): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const c of this.chunks[k]!) {
      if (c.sizeKey < min) min = c.sizeKey;
      if (c.sizeKey > max) max = c.sizeKey;
    }
    this.chunkMin[k] = min;
    this.chunkMax[k] = max;
  }
}

/** Position of c in a sorted chunk: the first job that does not come before it. */
function indexIn(chunk: Candidate[], c: Candidate, compare: (a: Candidate, b: Candidate) => number): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(chunk[mid]!, c) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A segment tree over per-chunk minima or maxima, rebuilt (in place when it fits) after a change. */
class ChunkTree {
  private size = 1;
  private tree = new Float64Array(2);
  private readonly empty: number;

  constructor(private readonly kind: "min" | "max") {
    this.empty = kind === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.tree.fill(this.empty);
  }

  /** Sets chunk k's value and the path above it. */
  set(k: number, value: number): void {
    let i = k + this.size;
    this.tree[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) this.tree[i] = this.pick(this.tree[2 * i]!, this.tree[2 * i + 1]!);
  }

  build(values: readonly number[]): void {
    let size = 1;
    while (size < values.length) size <<= 1;
    if (size !== this.size) {
      this.size = size;
      this.tree = new Float64Array(2 * size);
    }
    this.tree.fill(this.empty, size);
    for (let i = 0; i < values.length; i++) this.tree[size + i] = values[i]!;
    for (let i = size - 1; i >= 1; i--) this.tree[i] = this.pick(this.tree[2 * i]!, this.tree[2 * i + 1]!);
  }

  /** The minimum (or maximum) over chunks [from, to). */
  over(from: number, to: number): number {
    let out = this.empty;
    let lo = from + this.size;
    let hi = to + this.size;
    while (lo < hi) {
      if (lo & 1) out = this.pick(out, this.tree[lo++]!);
      if (hi & 1) out = this.pick(out, this.tree[--hi]!);
      lo >>= 1;
      hi >>= 1;
    }
    return out;
  }

  /** In a minimum tree: the first chunk at or after `from` whose value is at most `atMost`, or −1. */
  firstAtMost(from: number, atMost: number): number {
    if (from >= this.size) return -1;
    let i = from + this.size;
    // Step right, subtree by subtree, until one holds a value small enough; then descend into it.
    while (this.tree[i]! > atMost) {
      // Past the right end of the current subtree: climb while it is a right child, then step right.
      while (i & 1) {
        i >>= 1;
        if (i === 0) return -1;
      }
      i++;
    }
    while (i < this.size) i = this.tree[2 * i]! <= atMost ? 2 * i : 2 * i + 1;
    return i - this.size;
  }

  /** In a maximum tree: the first chunk at or after `from` whose value is above `value`, or −1. */
  firstAbove(from: number, value: number): number {
    if (from >= this.size) return -1;
    let i = from + this.size;
    while (this.tree[i]! <= value) {
      while (i & 1) {
        i >>= 1;
        if (i === 0) return -1;
      }
      i++;
    }
    while (i < this.size) i = this.tree[2 * i]! > value ? 2 * i : 2 * i + 1;
    return i - this.size;
  }

  private pick(a: number, b: number): number {
    return this.kind === "min" ? Math.min(a, b) : Math.max(a, b);
  }
}
