// No starvation behind a hard quota. Without a rule, a large job of a tenant at its quota could wait for
// ever: each time a running job of the tenant ended, a later, smaller job of the same tenant took the
// room. So at the start of every pass, each tenant with a hard quota has at most one fenced job: the
// first in the tenant's own order (priority, then age) that the quota keeps waiting although it fits
// the whole quota. Jobs after it in that order start only where they leave its GPUs free within the
// quota. Any later job that starts therefore leaves the fenced job within the quota too, and the fenced
// job waits for its tenant's quota no longer than the longest hard limit of the tenant's jobs running
// when it became the tenant's first waiting job (docs/scheduling.md, "No starvation behind a quota").
import type { Tenant } from "../model/types.ts";
import type { Candidate } from "./candidate.ts";
import { compareCandidates } from "./queue-index.ts";
import type { TenantQueue } from "./tenant-queue.ts";

/**
 * The tenant's fenced job: the first job of its queue larger than the quota room now left and no larger
 * than the quota, or null. Jobs with a start window or an own site first (size key −∞) are never fenced.
 */
export function quotaFence(queue: TenantQueue, quotaGpus: number, usedGpus: number): Candidate | null {
  const room = quotaGpus - usedGpus;
  if (queue.length === 0 || queue.maxKey() <= room) return null;
  for (let pos = queue.firstAbove(0, room); pos < queue.length; pos = queue.firstAbove(pos + 1, room)) {
    const candidate = queue.at(pos);
    if (candidate.sizeKey <= quotaGpus) return candidate;
  }
  return null;
}

/** Every hard-quota tenant's fenced job, by tenant, from the GPUs each holds now. */
export function quotaFences(
  byTier: readonly (readonly TenantQueue[])[],
  tenants: ReadonlyMap<string, Tenant>,
  tenantUsed: ReadonlyMap<string, number>,
): Map<string, Candidate> {
  const fences = new Map<string, Candidate>();
  for (const queues of byTier)
    for (const queue of queues) {
      const tenant = tenants.get(queue.tenantId);
      if (!tenant || tenant.quotaGpus === null || tenant.quotaMode === "borrowable") continue;
      const fenced = quotaFence(queue, tenant.quotaGpus, tenantUsed.get(queue.tenantId) ?? 0);
      if (fenced) fences.set(queue.tenantId, fenced);
    }
  return fences;
}

/** GPUs of its tenant's quota kept from job c for the fenced job: none unless c comes after it. */
export function heldGpus(fenced: Candidate | undefined, c: Candidate): number {
  return fenced === undefined || fenced === c || compareCandidates(c, fenced) < 0 ? 0 : fenced.gpus;
}
