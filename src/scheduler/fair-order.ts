// Fair share inside a tier. A tenant's fair-share key is
//
//   key = (decayed past GPU-hours + GPU-hours committed to its running jobs) / weight
//
// where past usage decays with the policy's half-life (usage h hours old counts 2^(-h / half-life)) and a
// running job commits GPUs × its remaining estimated hours. The tenant with the lowest key is served
// next; starting a job raises its key by the job's GPUs × estimated hours, so a tenant with a long queue
// cannot take a whole tier's capacity in one pass. Inside a tenant, jobs go by priority, then age.
export function decayedGpuHours(gpuHours: number, atMs: number, nowMs: number, halfLifeS: number): number {
  const ageS = Math.max(0, (nowMs - atMs) / 1000);
  return gpuHours * 2 ** (-ageS / halfLifeS);
}

/**
 * Yields a tier's tenants in fair-share order: each time, the one with the lowest key among those with
 * work left (`more`), ties by tenant id. The caller takes one or more jobs from the tenant it is handed;
 * that tenant's key is read again when the next is asked for, so a start charged to it in between counts
 * at once. Keys change only through starts, so a tenant stays first until one of its jobs starts.
 */
export class FairOrder<T extends { readonly tenantId: string; readonly tenantIndex: number }> {
  /** A binary heap in heap[0 … size): its array is reused from pass to pass. */
  private readonly heap: T[] = [];
  private size = 0;
  private current: T | null = null;
  /** Keys by tenant index (the tenant's position in the policy). */
  private keys: Float64Array = new Float64Array(0);

  constructor(private readonly more: (t: T) => boolean) {}

  /** Starts over with tenants[0 … count). */
  reset(tenants: readonly T[], count: number, keys: Float64Array): void {
    this.size = 0;
    this.current = null;
    this.keys = keys;
    for (let k = 0; k < count; k++) if (this.more(tenants[k]!)) this.push(tenants[k]!);
  }

  next(): T | null {
    if (this.current) {
      if (this.more(this.current)) this.push(this.current);
      this.current = null;
    }
    const top = this.pop();
    if (!top) return null;
    this.current = top;
    return top;
  }

  private less(a: T, b: T): boolean {
    const ka = this.keys[a.tenantIndex]!;
    const kb = this.keys[b.tenantIndex]!;
    return ka < kb || (ka === kb && a.tenantId < b.tenantId);
  }

  private push(t: T): void {
    const h = this.heap;
    let i = this.size++;
    h[i] = t;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      const swap = h[i]!;
      h[i] = h[parent]!;
      h[parent] = swap;
      i = parent;
    }
  }

  private pop(): T | undefined {
    const h = this.heap;
    if (this.size === 0) return undefined;
    const top = h[0]!;
    const last = h[--this.size]!;
    const n = this.size;
    if (n > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.less(h[l]!, h[m]!)) m = l;
        if (r < n && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const swap = h[i]!;
        h[i] = h[m]!;
        h[m] = swap;
        i = m;
      }
    }
    return top;
  }
}
