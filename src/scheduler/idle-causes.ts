// Why GPUs sit idle while jobs wait: each waiting job is put down to what holds it back at this instant,
// and the free GPUs are shared out over those causes. Read from the state the last pass left (holdings,
// and the reservations it made), without running a pass.
//
// A job's cause, in the order a pass meets them:
//  - start-window: its own start window (or deferral) has not opened;
//  - borrowing-limit / tenant-quota: its tier's borrowing limit or its tenant's hard quota (or the room
//    that quota keeps for an earlier job of the tenant, quota-fence.ts), unless its
//    tenant's own site has room for it (limits bind at facility-operated sites only);
//  - gpu-model-or-site: no pool it may use has as many free GPUs as it needs, while some other pool does
//    (GPU model, residency, latency or a site another tenant owns);
//  - reserved: a pool it may use has that many free GPUs only counting those reserved for a blocked job;
//  - no-fit: no pool has as many free GPUs as it needs, or one has but not in the shape it needs (free GPUs
//    spread over nodes, domains or blocks), or the quick passes since it arrived did not reach it.
// A borrowable quota holds no job back from idle GPUs, so a job past one is put down to room alone.
import { OPEN, RAW } from "./occupancy.ts";
import type { SchedulerCore } from "./pass.ts";
import { heldGpus, quotaFences } from "./quota-fence.ts";

/** In the order a pass meets them. */
export const IDLE_CAUSES = [
  "start-window",
  "borrowing-limit",
  "tenant-quota",
  "gpu-model-or-site",
  "reserved",
  "no-fit",
] as const;

export type IdleCause = (typeof IDLE_CAUSES)[number];

export type IdleGpusByCause = Record<IdleCause, number>;

export function noIdleGpus(): IdleGpusByCause {
  return Object.fromEntries(IDLE_CAUSES.map((c) => [c, 0])) as IdleGpusByCause;
}

/** GPUs the waiting jobs ask for, summed by what holds each back now. */
export function waitingGpusByCause(core: SchedulerCore, nowMs: number): IdleGpusByCause {
  const { state, limits } = core;
  const rawFree = state.occ.poolFree[RAW];
  const openFree = state.occ.poolFree[OPEN];
  let largestFree = 0;
  for (const free of rawFree) largestFree = Math.max(largestFree, free);
  const demand = noIdleGpus();
  // Jobs a hard quota's fence holds back (quota-fence.ts) are held by the quota too.
  const fences = quotaFences(core.queue.byTier, limits.tenants, state.tenantUsed);
  for (const c of core.queue.candidates.values()) {
    const { job, gpus, tier, requests } = c;
    let cause: IdleCause | null = null;
    if (job.notBeforeAtMs !== null && job.notBeforeAtMs > nowMs) cause = "start-window";
    else if (requests.facility.length > 0) {
      const tenant = limits.tenants.get(job.tenantId)!;
      const tenantUsed = state.tenantUsed.get(job.tenantId) ?? 0;
      if (state.tierUsed[tier]! + gpus > limits.guaranteedGpus[tier]! + limits.borrowingLimitGpus[tier]!)
        cause = "borrowing-limit";
      else if (tenant.quotaGpus !== null && tenant.quotaMode !== "borrowable") {
        if (tenantUsed + gpus + heldGpus(fences.get(job.tenantId), c) > tenant.quotaGpus)
          cause = "tenant-quota";
      }
    }
    let raw = 0;
    let open = 0;
    // A limit leaves the job its tenant's own site; a start window leaves it nothing.
    const pools = cause === null ? requests.all : cause === "start-window" ? [] : requests.own;
    for (const { pool } of pools) {
      raw = Math.max(raw, rawFree[pool.index]!);
      open = Math.max(open, openFree[pool.index]!);
    }
    if (cause === null || raw >= gpus) {
      if (raw < gpus) cause = largestFree >= gpus ? "gpu-model-or-site" : "no-fit";
      else cause = open < gpus ? "reserved" : "no-fit";
    }
    demand[cause] += gpus;
  }
  return demand;
}

/**
 * Shares `idleGpus` out over the causes in proportion to the GPUs their jobs ask for, each capped at
 * `idleGpus` so that one job far larger than what is free does not take the whole share. All zero when
 * no job waits.
 */
export function shareIdleGpus(idleGpus: number, demand: IdleGpusByCause): IdleGpusByCause {
  const shares = noIdleGpus();
  let total = 0;
  for (const c of IDLE_CAUSES) total += Math.min(demand[c], idleGpus);
  if (total === 0) return shares;
  for (const c of IDLE_CAUSES) shares[c] = (idleGpus * Math.min(demand[c], idleGpus)) / total;
  return shares;
}
