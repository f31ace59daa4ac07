// A pool's running jobs in the order they reach their hard limit (then by job id): the order a
// reservation search frees GPUs in. Kept sorted in chunks of a few hundred, so a job starting or ending
// shifts one chunk rather than the whole list of a pool that runs tens of thousands of jobs, and a search
// reads the order in place.
import type { Holding } from "./holding.ts";

/** A chunk splits in two when it grows past this many holdings. */
const DEFAULT_CHUNK_LIMIT = 256;

export class ReleaseOrder {
  private readonly chunks: Holding[][] = [];
  private size = 0;
  /** Where each chunk starts; recounted when first needed after a change. */
  private starts: number[] = [0];
  private stale = false;
  private lastChunk = 0;

  constructor(private readonly chunkLimit = DEFAULT_CHUNK_LIMIT) {}

  get length(): number {
    return this.size;
  }

  add(h: Holding): void {
    if (this.chunks.length === 0) this.chunks.push([h]);
    else {
      const k = Math.min(this.chunkAfter(h), this.chunks.length - 1);
      const chunk = this.chunks[k]!;
      chunk.splice(indexIn(chunk, h), 0, h);
      if (chunk.length > this.chunkLimit) this.chunks.splice(k + 1, 0, chunk.splice(chunk.length >> 1));
    }
    this.size++;
    this.stale = true;
  }

  remove(h: Holding): void {
    const k = this.chunkAfter(h);
    const chunk = this.chunks[k];
    const i = chunk ? indexIn(chunk, h) : -1;
    if (!chunk || chunk[i] !== h) throw new Error(`job ${h.job.id} is not in its pool's release order`);
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(k, 1);
    this.size--;
    this.stale = true;
  }

  /** The holding at position i in release order (valid until the next change). */
  at(i: number): Holding {
    if (this.stale) {
      this.starts = [0];
      for (const chunk of this.chunks) this.starts.push(this.starts[this.starts.length - 1]! + chunk.length);
      this.lastChunk = 0;
      this.stale = false;
    }
    let k = this.lastChunk;
    // Searches read the order front to back: the chunk of the last read, or the next one, mostly.
    if (!(this.starts[k]! <= i && i < this.starts[k + 1]!)) {
      let lo = 0;
      let hi = this.chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.starts[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
      this.lastChunk = k;
    }
    return this.chunks[k]![i - this.starts[k]!]!;
  }

  /** Index of the first chunk whose last holding does not come before h; chunks.length if none. */
  private chunkAfter(h: Holding): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (compareRelease(chunk[chunk.length - 1]!, h) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Position of h in a sorted chunk: the first holding that does not come before it. */
function indexIn(chunk: Holding[], h: Holding): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareRelease(chunk[mid]!, h) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareRelease(a: Holding, b: Holding): number {
  if (a.limitEndAtMs !== b.limitEndAtMs) return a.limitEndAtMs - b.limitEndAtMs;
  return a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0;
}
