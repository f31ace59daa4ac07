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

interface TenantCursor {
  tenantId: string;
  jobs: Job[];
  next: number;
}

/**
 * Yields a tier's jobs in fair-share order. After each job the caller reports whether it started
 * (`charge`) and then asks for the next one; keys live in the shared map so both phases see them.
 */
export class FairOrder {
  private readonly heap: TenantCursor[] = [];
  private current: TenantCursor | null = null;

  constructor(
    byTenant: Map<string, Job[]>,
    private readonly keys: Map<string, number>,
  ) {
    for (const [tenantId, jobs] of [...byTenant].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (jobs.length > 0) this.push({ tenantId, jobs, next: 0 });
    }
  }

  next(): Job | null {
    if (this.current) {
      if (this.current.next < this.current.jobs.length) this.push(this.current);
      this.current = null;
    }
    const top = this.pop();
    if (!top) return null;
    this.current = top;
    return top.jobs[top.next++]!;
  }

  private key(c: TenantCursor): number {
    return this.keys.get(c.tenantId) ?? 0;
  }

  private less(a: TenantCursor, b: TenantCursor): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a.tenantId < b.tenantId);
  }

  private push(c: TenantCursor): void {
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

  private pop(): TenantCursor | undefined {
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
