// One executor per site: the facility's own cluster, a tenant's own cluster and simulated sites side by
// side behind one executor. Each start goes to the executor of the site Fjord chose.
import type { Allocation, Job } from "../model/types.ts";
import type { ClusterOrphan, Executor, StopReason } from "./executor.ts";

export class PerSiteExecutor implements Executor {
  constructor(private readonly bySite: ReadonlyMap<string, Executor>) {}

  start(job: Job, allocation: Allocation, startedAtMs: number): void {
    const executor = this.bySite.get(allocation.siteId);
    if (!executor) throw new Error(`no executor runs site ${allocation.siteId}`);
    executor.start(job, allocation, startedAtMs);
  }

  /** Every executor hears it; those that do not run the job ignore it (a site count is small). */
  stop(jobId: string, reason: StopReason): void {
    for (const executor of this.distinct()) executor.stop(jobId, reason);
  }

  adoptionComplete(): void {
    for (const executor of this.distinct()) executor.adoptionComplete?.();
  }

  orphans(): ClusterOrphan[] {
    return [...this.distinct()].flatMap((e) => e.orphans?.() ?? []);
  }

  lagMs(): number {
    return Math.max(0, ...[...this.distinct()].map((e) => e.lagMs()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.distinct()].map((e) => e.close()));
  }

  /** One executor may run several sites (the simulated one runs all that have no cluster). */
  private distinct(): Set<Executor> {
    return new Set(this.bySite.values());
  }
}
