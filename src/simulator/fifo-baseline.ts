// The built-in baseline a policy is compared with: first come, first served with EASY backfill, the way a
// plain batch scheduler runs a shared cluster. It is Fjord's own scheduler fed a policy with no tiers or
// tenants to tell apart — one tier that may use the whole facility, one queue — so the comparison shows
// what the access policy changes and nothing else. Residency, latency bounds and topology still hold:
// the law does not change with the policy.
//
// One queue means one pseudo-tenant, and within a tenant jobs go by priority and then age; priorities
// are zeroed so the order is purely by submission. A site a tenant owns serves that tenant alone, and
// the baseline has no tenants, so such sites stay idle in the baseline run. Samples count waiting jobs
// in the one queue, under the tier id `fifo`. Records are handed back
// under each job's real tenant and tier, so per-tier and per-tenant metrics compare like with like.
import type { Policy } from "../model/types.ts";
import type { SimJob, SimulationResult } from "./types.ts";

export const FIFO_BASELINE_NAME = "fifo-easy";
const QUEUE_TENANT = "fifo-queue";
const QUEUE_TIER = "fifo";

export interface BaselineRun {
  policy: Policy;
  workload: SimJob[];
  /** The result with each job's real tenant and tier (those of `policy` given to fifoBaseline). */
  restore(result: SimulationResult): SimulationResult;
}

export function fifoBaseline(policy: Policy, workload: readonly SimJob[]): BaselineRun {
  const baselinePolicy: Policy = {
    tiers: [
      {
        id: QUEUE_TIER,
        guaranteed: { share: 1 },
        borrowingLimit: null,
        reclaimByPreemption: false,
        requires: [],
      },
    ],
    tenants: [
      {
        id: QUEUE_TENANT,
        name: "one FIFO queue",
        tierId: QUEUE_TIER,
        weight: 1,
        quotaGpus: null,
        orgNumber: null,
        country: null,
      },
    ],
    fairShare: policy.fairShare,
    // EASY backfill: only the job at the head of the queue holds a reservation.
    backfill: { reservationDepth: 1 },
  };
  const tenantOf = new Map(workload.map((w) => [w.job.id, w.job.tenantId]));
  const tierOfTenant = new Map(policy.tenants.map((t) => [t.id, t.tierId]));
  return {
    policy: baselinePolicy,
    workload: workload.map((w) => ({ ...w, job: { ...w.job, tenantId: QUEUE_TENANT, priority: 0 } })),
    restore: (result) => ({
      ...result,
      jobs: result.jobs.map((record) => {
        const tenantId = tenantOf.get(record.jobId) ?? record.tenantId;
        return { ...record, tenantId, tierId: tierOfTenant.get(tenantId) ?? record.tierId };
      }),
    }),
  };
}
