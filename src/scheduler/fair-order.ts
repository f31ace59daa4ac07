// Fair share inside a tier. A tenant's fair-share key is
//
//   key = (decayed past GPU-hours + GPU-hours committed to its running jobs) / weight
//
// where past usage decays with the policy's half-life (usage h hours old counts 2^(-h / half-life)) and a
// running job commits GPUs × its remaining estimated hours. The tenant with the lowest key is served
// next; starting a job raises its key by the job's GPUs × estimated hours, so a tenant with a long queue
// cannot take a whole tier's capacity in one pass. Inside a tenant, jobs go by priority, then age.
import type { Job } from "../model/types.ts";

export function decayedGpuHours(gpuHours: number, atMs: number, nowMs: number, halfLifeS: number): number {
  const ageS = Math.max(0, (nowMs - atMs) / 1000);
  return gpuHours * 2 ** (-ageS / halfLifeS);
}

export function compareJobsInTenant(a: Job, b: Job): number {
  return (
    b.priority - a.priority || a.submittedAtMs - b.submittedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

interface TenantCursor<T> {
  tenantId: string;
  items: T[];
  next: number;
}

/**
 * Yields a tier's items (jobs, or what wraps them) in fair-share order, each tenant's own list in its
 * order. The key of the tenant whose item was handed out last is read again when the next is asked for,
 * so a start charged to it in between counts at once.
 */
export class FairOrder<T> {
  private readonly heap: TenantCursor<T>[] = [];
  private current: TenantCursor<T> | null = null;

  constructor(
    byTenant: Map<string, T[]>,
    private readonly keys: Map<string, number>,
  ) {
    for (const [tenantId, items] of [...byTenant].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (items.length > 0) this.push({ tenantId, items, next: 0 });
    }
  }

  next(): T | null {
    if (this.current) {
      if (this.current.next < this.current.items.length) this.push(this.current);
      this.current = null;
    }
    const top = this.pop();
    if (!top) return null;
    this.current = top;
    return top.items[top.next++]!;
  }

  private key(c: TenantCursor<T>): number {
    return this.keys.get(c.tenantId) ?? 0;
  }

  private less(a: TenantCursor<T>, b: TenantCursor<T>): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a.tenantId < b.tenantId);
  }

  private push(c: TenantCursor<T>): void {
    const h = this.heap;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): TenantCursor<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
