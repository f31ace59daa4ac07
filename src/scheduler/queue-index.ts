// The queue as the scheduler walks it: per tier, per tenant, jobs in the tenant's own order (priority,
// then age), each with the placement requests it may use. Jobs that can never run — unknown tenant, no
// site the rules allow, larger than any allowed place — are set apart with their reason at admission.
import type { Job } from "../model/types.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { WaitingReason } from "./decisions.ts";
import type { EligibilityCache } from "./eligibility.ts";
import { compareJobsInTenant } from "./fair-order.ts";
import type { PolicyLimits } from "./policy-limits.ts";
import { requestFor, totalGpus } from "./request.ts";
import type { PoolRequest } from "./reservation.ts";

export interface Candidate {
  job: Job;
  gpus: number;
  tier: number;
  /** Requests at the tenant's own sites, tried first. */
  own: PoolRequest[];
  /** Requests at facility-operated sites. */
  facility: PoolRequest[];
}

export type Admission = { ok: true; candidate: Candidate } | { ok: false; reason: WaitingReason };

export function admit(
  job: Job,
  cf: CompiledFacility,
  limits: PolicyLimits,
  eligibility: EligibilityCache,
): Admission {
  const tenant = limits.tenants.get(job.tenantId);
  if (!tenant) return { ok: false, reason: { kind: "unknown-tenant" } };
  const e = eligibility.of(job);
  if (e.problem !== null) return { ok: false, reason: { kind: "no-eligible-site", detail: e.problem } };
  const toRequests = (pools: number[]) =>
    pools.flatMap((p) => {
      const pool = cf.pools[p]!;
      const req = requestFor(job.shape, job.topology, pool);
      return req ? [{ pool, req }] : [];
    });
  const candidate: Candidate = {
    job,
    gpus: totalGpus(job.shape),
    tier: limits.tierIndex.get(tenant.tierId) ?? 0,
    own: toRequests(e.own),
    facility: toRequests(e.facility),
  };
  if (candidate.own.length === 0 && candidate.facility.length === 0)
    return { ok: false, reason: tooLarge(cf, job, [...e.own, ...e.facility]) };
  return { ok: true, candidate };
}

function tooLarge(cf: CompiledFacility, job: Job, pools: number[]): WaitingReason {
  let largestGpus = 0;
  for (const p of pools) {
    const pool = cf.pools[p]!;
    const cap =
      job.topology === "nvlink-domain"
        ? pool.maxDomainGpus
        : job.topology === "network-block"
          ? pool.maxBlockGpus
          : pool.gpuCount;
    if (cap > largestGpus) largestGpus = cap;
  }
  const scope =
    job.topology === "nvlink-domain"
      ? "one NVLink domain"
      : job.topology === "network-block"
        ? "one network block"
        : "any eligible site";
  return { kind: "too-large", gpus: totalGpus(job.shape), largestGpus, scope };
}

export class QueueIndex {
  readonly candidates = new Map<string, Candidate>();
  /** Per tier: tenant → jobs in the tenant's order. */
  readonly byTier: Map<string, Job[]>[];

  constructor(tierCount: number) {
    this.byTier = Array.from({ length: tierCount }, () => new Map());
  }

  add(c: Candidate): void {
    if (this.candidates.has(c.job.id)) throw new Error(`job ${c.job.id} is already queued`);
    this.candidates.set(c.job.id, c);
    const tierJobs = this.byTier[c.tier]!;
    let list = tierJobs.get(c.job.tenantId);
    if (!list) {
      list = [];
      tierJobs.set(c.job.tenantId, list);
    }
    list.splice(position(list, c.job), 0, c.job);
  }

  remove(jobId: string): Candidate | undefined {
    const c = this.candidates.get(jobId);
    if (!c) return undefined;
    this.candidates.delete(jobId);
    const list = this.byTier[c.tier]!.get(c.job.tenantId)!;
    list.splice(position(list, c.job), 1);
    return c;
  }
}

function position(list: Job[], job: Job): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareJobsInTenant(list[mid]!, job) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
