// No starvation behind a hard quota. Without a rule, a large job of a tenant at its quota could wait for
// ever: each time a running job of the tenant ended, a later, smaller job of the same tenant took the
// room. So at the start of every pass, each tenant with a hard quota has at most one fenced job: the
// first in the tenant's own order (priority, then age) that the quota keeps waiting although it fits
// the whole quota. Jobs after it in that order start only where they leave its GPUs free within the
// quota. Any later job that starts therefore leaves the fenced job within the quota too, and the fenced
// job waits for its tenant's quota no longer than the longest hard limit of the tenant's jobs running
// when it became the tenant's first waiting job (docs/scheduling.md, "No starvation behind a quota").
import type { Candidate } from "./candidate.ts";
import type { TenantQueue } from "./tenant-queue.ts";

export interface QuotaFence {
  /** The job the room is kept for. */
  candidate: Candidate;
}

/**
 * The tenant's fenced job: the first job of its queue larger than the quota room now left and no larger
 * than the quota, or null. Jobs with a start window or an own site first (size key −∞) are never fenced.
 */
export function quotaFence(queue: TenantQueue, quotaGpus: number, usedGpus: number): QuotaFence | null {
  const room = quotaGpus - usedGpus;
  if (queue.length === 0 || queue.maxKey() <= room) return null;
  for (let pos = queue.firstAbove(0, room); pos < queue.length; pos = queue.firstAbove(pos + 1, room)) {
    const candidate = queue.at(pos);
    if (candidate.sizeKey <= quotaGpus) return { candidate };
  }
  return null;
}
