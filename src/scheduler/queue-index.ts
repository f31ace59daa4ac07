// The queue as the scheduler walks it: per tier, per tenant, jobs in the tenant's own order (priority,
// then age), each with the placement requests it may use. Jobs that can never run — unknown tenant, no
// site the rules allow, larger than any allowed place — are set apart with their reason at admission.

import { migMilli } from "../model/job-shape.ts";
import type { Job } from "../model/types.ts";
import type { Candidate, Requests } from "./candidate.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { TopologyScope, WaitingReason } from "./decisions.ts";
import { EligibilityCache } from "./eligibility.ts";
import type { PolicyLimits } from "./policy-limits.ts";
import { PoolPressure } from "./pool-pressure.ts";
import { largestNodeGpus, type PoolLimits, requestFor, totalGpus } from "./request.ts";
import type { PoolRequest } from "./reservation.ts";
import { TenantQueue } from "./tenant-queue.ts";

export type Admission = { ok: true; candidate: Candidate } | { ok: false; reason: WaitingReason };

/**
 * Admits jobs to the queue. The requests a job gets depend only on its eligibility fields, shape and
 * topology, which many jobs share, so they are computed once per combination.
 */
export class Admissions {
  private readonly eligibility: EligibilityCache;
  private readonly cache = new Map<string, Requests | WaitingReason>();
  private readonly pressure: PoolPressure;

  constructor(
    private readonly cf: CompiledFacility,
    private readonly limits: PolicyLimits,
  ) {
    this.eligibility = new EligibilityCache(cf);
    this.pressure = new PoolPressure(cf);
  }

  admit(job: Job): Admission {
    const tenant = this.limits.tenants.get(job.tenantId);
    if (!tenant) return { ok: false, reason: { kind: "unknown-tenant", tenantId: job.tenantId } };
    const eligibilityKey = this.eligibility.key(job);
    const shape =
      job.shape.kind === "gang"
        ? `${job.shape.nodes}x${job.shape.gpusPerNode}`
        : job.shape.kind === "gpus"
          ? `${job.shape.gpus}`
          : job.shape.kind === "share"
            ? `${job.shape.gpuMilli}m`
            : `mig:${job.shape.profile}`;
    const key = `${eligibilityKey}|${shape}|${job.topology}`;
    let requests = this.cache.get(key);
    if (!requests) {
      requests = this.requests(job, eligibilityKey);
      this.cache.set(key, requests);
      if (!("kind" in requests)) this.pressure.addGroup(requests);
    }
    if ("kind" in requests) return { ok: false, reason: requests };
    const gpus = totalGpus(job.shape);
    this.pressure.count(requests, gpus);
    // Facility-only jobs are skipped by their tier's and tenant's limits, own-only ones (in their own
    // queue) by the free GPUs of the tenant's sites; a start window, or a choice of both, is always looked at.
    const skippable = (requests.own.length === 0) !== (requests.facility.length === 0);
    const candidate: Candidate = {
      job,
      gpus,
      tier: this.limits.tierIndex.get(tenant.tierId) ?? 0,
      requests,
      sizeKey: skippable && job.notBeforeAtMs === null ? gpus : Number.NEGATIVE_INFINITY,
    };
    return { ok: true, candidate };
  }

  private requests(job: Job, eligibilityKey: string): Requests | WaitingReason {
    const e = this.eligibility.of(job, eligibilityKey);
    if (e.problem !== null) return { kind: "no-eligible-site", detail: e.problem };
    if (job.shape.kind === "share" || job.shape.kind === "mig") return this.shareRequests(job, e);
    const largest = largestNodeGpus([...e.own, ...e.facility].map((p) => this.cf.pools[p]!));
    const toRequests = (pools: number[]) =>
      pools.flatMap((p) => {
        const pool = this.cf.pools[p]!;
        const req = requestFor(job.shape, job.topology, pool, largest);
        return req ? [{ pool, req }] : [];
      });
    const own = toRequests(e.own);
    const facility = toRequests(e.facility);
    if (own.length === 0 && facility.length === 0) return tooLarge(this.cf, job, [...e.own, ...e.facility]);
    return requestsOf(own, facility);
  }

  /** A share of one GPU, or a MIG instance: only pools whose GPU type is shared, or has the profile. */
  private shareRequests(job: Job, e: { own: number[]; facility: number[] }): Requests | WaitingReason {
    const { shape } = job;
    if (shape.kind === "mig" && migMilli(shape.profile) === null)
      return {
        kind: "no-eligible-site",
        detail: `MIG profile ${JSON.stringify(shape.profile)} is not of the form <slices>g.<memory>gb, e.g. 3g.40gb`,
      };
    const takes = (type: CompiledFacility["pools"][number]["nodeType"]) =>
      shape.kind === "mig" ? (type.migProfiles ?? []).includes(shape.profile) : type.gpuSharing === true;
    const toRequests = (pools: number[]) =>
      pools
        .flatMap((p) => {
          const pool = this.cf.pools[p]!;
          return takes(pool.nodeType) ? [p] : [];
        })
        .map((p) => {
          const pool = this.cf.pools[p]!;
          return { pool, req: requestFor(job.shape, job.topology, pool, 0)! };
        });
    const own = toRequests(e.own);
    const facility = toRequests(e.facility);
    if (own.length === 0 && facility.length === 0)
      return {
        kind: "no-eligible-site",
        detail:
          shape.kind === "mig"
            ? `no GPU type the job may use is partitioned into MIG profile ${shape.profile} (migProfiles)`
            : "no GPU type the job may use is shared (gpuSharing): a share of one GPU cannot run there",
      };
    return requestsOf(own, facility);
  }
}

function requestsOf(own: PoolRequest[], facility: PoolRequest[]): Requests {
  const all = [...own, ...facility];
  const models = (rs: PoolRequest[]) => [...new Set(rs.map((r) => r.pool.nodeType.gpuModel))];
  return { own, facility, all, ownModels: models(own), allModels: models(all) };
}

function tooLarge(cf: CompiledFacility, job: Job, pools: number[]): WaitingReason {
  const scope: TopologyScope =
    job.topology === "nvlink-domain"
      ? "nvlink-domain"
      : job.topology === "network-block"
        ? "network-block"
        : "site";
  let largestGpus = 0;
  for (const p of pools) {
    const pool = cf.pools[p]!;
    largestGpus = Math.max(largestGpus, capacityGpus(pool, scope));
  }
  const gpus = totalGpus(job.shape);
  if (job.shape.kind === "gang" && gpus <= largestGpus) {
    // The GPUs are there but spread over fewer nodes than the gang needs.
    let largestNodes = 0;
    for (const p of pools) {
      const pool = cf.pools[p]!;
      if (pool.gpusPerNode < job.shape.gpusPerNode) continue;
      largestNodes = Math.max(largestNodes, Math.floor(capacityGpus(pool, scope) / pool.gpusPerNode));
    }
    const { nodes, gpusPerNode } = job.shape;
    return { kind: "too-few-nodes", nodes, gpusPerNode, largestNodes, scope };
  }
  return { kind: "too-large", gpus, largestGpus, scope };
}

/** GPUs of the pool's largest place of a scope: its largest NVLink domain or block, or the whole pool. */
function capacityGpus(pool: PoolLimits, scope: TopologyScope): number {
  return scope === "nvlink-domain"
    ? pool.maxDomainGpus
    : scope === "network-block"
      ? pool.maxBlockGpus
      : pool.gpuCount;
}

/**
 * Whether a job can run only at its tenant's own sites. Such jobs wait in a queue of their own per
 * tenant, walked apart from the tiers: a tenant's own cluster is outside tier accounting, and a backlog
 * there must not use up a pass's look at the tier or the facility's reservations.
 */
export function ownOnly(c: Candidate): boolean {
  return c.requests.facility.length === 0;
}

export class QueueIndex {
  readonly candidates = new Map<string, Candidate>();
  /** Per tier: each tenant's queued jobs in the tenant's order (a tenant's queue stays once made). */
  readonly byTier: TenantQueue[][];
  /** Per tenant with own sites: its jobs that can run only there, in the tenant's order. */
  readonly ownOnly: TenantQueue[] = [];
  private readonly queues = new Map<string, TenantQueue>();
  private readonly ownQueues = new Map<string, TenantQueue>();
  private readonly countByTier: number[];

  /** `chunkLimit` sets the tenant queues' chunk size (tests use tiny ones to exercise many chunks). */
  constructor(
    tierCount: number,
    private readonly chunkLimit?: number,
  ) {
    this.byTier = Array.from({ length: tierCount }, () => []);
    this.countByTier = new Array(tierCount).fill(0);
  }

  /** Jobs queued in tier t. */
  queuedInTier(t: number): number {
    return this.countByTier[t]!;
  }

  add(c: Candidate): void {
    if (this.candidates.has(c.job.id)) throw new Error(`job ${c.job.id} is already queued`);
    this.candidates.set(c.job.id, c);
    this.countByTier[c.tier]!++;
    this.queueOf(c).insert(c);
  }

  /** Adds many candidates at once: one sort per tenant instead of one insertion per job. */
  addAll(cs: Candidate[]): void {
    const added = new Map<TenantQueue, Candidate[]>();
    for (const c of cs) {
      if (this.candidates.has(c.job.id)) throw new Error(`job ${c.job.id} is already queued`);
      this.candidates.set(c.job.id, c);
      this.countByTier[c.tier]!++;
      const q = this.queueOf(c);
      const list = added.get(q);
      if (list) list.push(c);
      else added.set(q, [c]);
    }
    for (const [q, list] of added) {
      const all = q.length > 0 ? [...q.toArray(), ...list] : list;
      sortCandidates(all);
      q.reset(all);
    }
  }

  remove(jobId: string): Candidate | undefined {
    const c = this.candidates.get(jobId);
    if (!c) return undefined;
    this.candidates.delete(jobId);
    this.countByTier[c.tier]!--;
    this.queueOf(c).remove(c);
    return c;
  }

  private queueOf(c: Candidate): TenantQueue {
    const own = ownOnly(c);
    const queues = own ? this.ownQueues : this.queues;
    let q = queues.get(c.job.tenantId);
    if (!q) {
      q = new TenantQueue(c.job.tenantId, compareCandidates, this.chunkLimit);
      queues.set(c.job.tenantId, q);
      // Own-site queues in tenant order, so passes list their decisions the same whatever came first.
      if (own) {
        this.ownOnly.push(q);
        this.ownOnly.sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
      } else this.byTier[c.tier]!.push(q);
    }
    return q;
  }
}

/** A tenant's order: higher priority first, then earlier submission, then job id. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const x = a.job;
  const y = b.job;
  if (x.priority !== y.priority) return y.priority - x.priority;
  if (x.submittedAtMs !== y.submittedAtMs) return x.submittedAtMs - y.submittedAtMs;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/**
 * Sorts a tenant's candidates into compareCandidates order. Large lists are sorted as packed numbers
 * — (priority rank, submission offset, position) in one float, exact below 2^53 — which a typed array
 * sorts without calling back into JavaScript; ties in priority and submission time then go by job id.
 * Lists whose figures do not pack (fractional times, huge spans) take the comparator.
 */
export function sortCandidates(list: Candidate[]): void {
  const n = list.length;
  if (n < 256) {
    list.sort(compareCandidates);
    return;
  }
  let minSubmit = Number.POSITIVE_INFINITY;
  let maxSubmit = Number.NEGATIVE_INFINITY;
  let minPriority = Number.POSITIVE_INFINITY;
  let maxPriority = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (const c of list) {
    const { submittedAtMs, priority } = c.job;
    if (!Number.isInteger(submittedAtMs) || !Number.isInteger(priority)) integral = false;
    if (submittedAtMs < minSubmit) minSubmit = submittedAtMs;
    if (submittedAtMs > maxSubmit) maxSubmit = submittedAtMs;
    if (priority < minPriority) minPriority = priority;
    if (priority > maxPriority) maxPriority = priority;
  }
  const slots = 2 ** Math.ceil(Math.log2(n + 1));
  const submitSpan = maxSubmit - minSubmit + 1;
  if (!integral || (maxPriority - minPriority + 1) * submitSpan * slots > Number.MAX_SAFE_INTEGER) {
    list.sort(compareCandidates);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { submittedAtMs, priority } = list[i]!.job;
    keys[i] = ((maxPriority - priority) * submitSpan + (submittedAtMs - minSubmit)) * slots + i;
  }
  keys.sort();
  const sorted = new Array<Candidate>(n);
  for (let i = 0; i < n; i++) sorted[i] = list[keys[i]! % slots]!;
  // Equal priority and submission time: by id, as the comparator does.
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sameRank(sorted[start]!, sorted[end]!)) end++;
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort(compareCandidates);
      for (let k = 0; k < run.length; k++) sorted[start + k] = run[k]!;
    }
    start = end;
  }
  for (let i = 0; i < n; i++) list[i] = sorted[i]!;
}

function sameRank(a: Candidate, b: Candidate): boolean {
  return a.job.priority === b.job.priority && a.job.submittedAtMs === b.job.submittedAtMs;
}
