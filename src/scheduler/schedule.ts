// One scheduling pass: a pure function of (facility, policy, queue, running jobs, usage, now).
//
// Order of service, in two phases over the tiers in priority order and, inside each tier, the tenants in
// fair-share order (fair-order.ts):
//  1. guaranteed: every job that keeps its tier within its guaranteed share. When such a job does not fit
//     and its tier reclaims by preemption, it may preempt other tiers' borrowed jobs (preemption.ts).
//  2. borrowing: the remaining jobs, taking idle GPUs up to their tier's borrowing limit.
// So no tier's guarantee waits behind another tier's borrowing, and idle GPUs still go to whoever can use
// them. The price is that inside a tier a job too large for what is left of the guarantee lets smaller
// jobs of the same tier go first; it keeps its place among the borrowers, and its reservation there.
//
// Backfill is conservative up to a depth: the first `reservationDepth` jobs that are blocked for lack of
// room each get a reservation (a time and exact GPUs, reservation.ts). Later jobs may start now only on
// GPUs no reservation holds, or on reserved GPUs they hand back (by their hard limit) before the earliest
// reservation of that pool begins. Jobs beyond the depth get a fluid estimate: the GPU-seconds of work
// ahead of them in their pools divided by those pools' GPUs.
import type { Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import { toAllocation } from "./allocation.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type {
  Decisions,
  PreemptDecision,
  Reservation,
  StartDecision,
  WaitingDecision,
  WaitingReason,
} from "./decisions.ts";
import { EligibilityCache } from "./eligibility.ts";
import { compareJobsInTenant, decayedGpuHours, FairOrder } from "./fair-order.ts";
import { PassState } from "./pass-state.ts";
import { type Placement, place } from "./placement.ts";
import { type PolicyLimits, resolvePolicy } from "./policy-limits.ts";
import { lostGpuS, PreemptionFinder } from "./preemption.ts";
import { LEVEL_SCOPE, requestFor, totalGpus } from "./request.ts";
import { type PoolRequest, ReservationFinder } from "./reservation.ts";

export interface SchedulingInput {
  facility: CompiledFacility;
  policy: Policy;
  queue: Job[];
  running: RunningJob[];
  usage: TenantUsage[];
  nowMs: number;
}

interface Candidate {
  job: Job;
  gpus: number;
  tier: number;
  own: PoolRequest[];
  facility: PoolRequest[];
}

export function schedule(input: SchedulingInput): Decisions {
  return new Pass(input).run();
}

class Pass {
  private readonly cf: CompiledFacility;
  private readonly limits: PolicyLimits;
  private readonly state: PassState;
  private readonly keys = new Map<string, number>();
  private readonly start: StartDecision[] = [];
  private readonly preempt: PreemptDecision[] = [];
  private readonly reservations: Reservation[] = [];
  private readonly waiting: WaitingDecision[] = [];
  private readonly reservationFinder: ReservationFinder;
  private readonly preemptionFinder: PreemptionFinder;
  /** Fluid estimate: GPU-seconds of work ahead in each pool, and each pool's GPUs. */
  private readonly workAheadGpuS: Float64Array;
  private readonly poolGpus: Float64Array;
  private readonly nowMs: number;

  constructor(private readonly input: SchedulingInput) {
    this.cf = input.facility;
    this.nowMs = input.nowMs;
    this.limits = resolvePolicy(input.policy, this.cf.facilityGpus);
    this.state = new PassState(this.cf, input.policy.tiers.length);
    this.reservationFinder = new ReservationFinder(this.state);
    this.preemptionFinder = new PreemptionFinder(this.state, this.limits.guaranteedGpus);
    this.workAheadGpuS = new Float64Array(this.cf.pools.length);
    this.poolGpus = new Float64Array(this.cf.pools.length);
  }

  run(): Decisions {
    const { cf, nowMs } = this;
    for (const r of this.input.running) this.addRunning(r);
    for (let i = 0; i < cf.nodeIds.length; i++)
      if (cf.nodeUp[i] === 1) this.poolGpus[cf.nodePool[i]!]! += cf.nodeGpus[i]!;
    this.initKeys();

    const eligibility = new EligibilityCache(cf);
    const byTier: Map<string, Job[]>[] = this.input.policy.tiers.map(() => new Map());
    const candidates = new Map<string, Candidate>();
    for (const job of this.input.queue) {
      const tenant = this.limits.tenants.get(job.tenantId);
      if (!tenant) {
        this.wait(job, { kind: "unknown-tenant" }, null);
        continue;
      }
      const e = eligibility.of(job);
      if (e.problem !== null) {
        this.wait(job, { kind: "no-eligible-site", detail: e.problem }, null);
        continue;
      }
      const toRequests = (pools: number[]) =>
        pools.flatMap((p) => {
          const pool = cf.pools[p]!;
          const req = requestFor(job.shape, job.topology, pool);
          return req ? [{ pool, req }] : [];
        });
      const c: Candidate = {
        job,
        gpus: totalGpus(job.shape),
        tier: this.limits.tierIndex.get(tenant.tierId) ?? 0,
        own: toRequests(e.own),
        facility: toRequests(e.facility),
      };
      if (c.own.length === 0 && c.facility.length === 0) {
        this.wait(job, this.tooLarge(job, [...e.own, ...e.facility]), null);
        continue;
      }
      if (job.notBeforeAtMs !== null && job.notBeforeAtMs > nowMs) {
        this.wait(job, { kind: "not-yet", notBeforeAtMs: job.notBeforeAtMs }, job.notBeforeAtMs);
        continue;
      }
      candidates.set(job.id, c);
      const tierJobs = byTier[c.tier]!;
      const list = tierJobs.get(job.tenantId);
      if (list) list.push(job);
      else tierJobs.set(job.tenantId, [job]);
    }
    for (const tierJobs of byTier) for (const list of tierJobs.values()) list.sort(compareJobsInTenant);

    const borrowers: Map<string, Job[]>[] = byTier.map(() => new Map());
    for (const [t, tierJobs] of byTier.entries()) {
      const order = new FairOrder(tierJobs, this.keys);
      for (let job = order.next(); job; job = order.next()) {
        if (this.consider(candidates.get(job.id)!, "guaranteed")) continue;
        const list = borrowers[t]!.get(job.tenantId);
        if (list) list.push(job);
        else borrowers[t]!.set(job.tenantId, [job]);
      }
    }
    for (const tierJobs of borrowers) {
      const order = new FairOrder(tierJobs, this.keys);
      for (let job = order.next(); job; job = order.next())
        this.consider(candidates.get(job.id)!, "borrowing");
    }

    return {
      nowMs,
      start: this.start,
      preempt: this.preempt,
      reservations: this.reservations,
      waiting: this.waiting,
    };
  }

  /** Decides one job; in the guaranteed phase, returns false for a job that would borrow. */
  private consider(c: Candidate, phase: "guaranteed" | "borrowing"): boolean {
    const { job } = c;
    const t = c.tier;
    const { guaranteedGpus, borrowingLimitGpus } = this.limits;
    // A tenant's own site is outside tier accounting: try it first.
    if (c.own.length > 0 && this.tryStart(c, c.own, false, [])) return true;
    if (c.facility.length === 0) {
      this.blocked(c, c.own);
      return true;
    }

    const used = this.state.tierUsed[t]!;
    const borrowing = used + c.gpus > guaranteedGpus[t]!;
    if (borrowing && phase === "guaranteed") return false;
    if (borrowing && used + c.gpus > guaranteedGpus[t]! + borrowingLimitGpus[t]!) {
      const tier = this.input.policy.tiers[t]!;
      this.wait(
        job,
        {
          kind: "borrowing-limit",
          tierId: tier.id,
          borrowedGpus: Math.max(0, used - guaranteedGpus[t]!),
          limitGpus: borrowingLimitGpus[t]!,
          gpus: c.gpus,
        },
        this.fluidEstimate(c, c.facility),
      );
      return true;
    }
    const tenant = this.limits.tenants.get(job.tenantId)!;
    const tenantUsed = this.state.tenantUsed.get(job.tenantId) ?? 0;
    if (tenant.quotaGpus !== null && tenantUsed + c.gpus > tenant.quotaGpus) {
      this.wait(
        job,
        {
          kind: "tenant-quota",
          tenantId: tenant.id,
          usedGpus: tenantUsed,
          quotaGpus: tenant.quotaGpus,
          gpus: c.gpus,
        },
        this.fluidEstimate(c, c.facility),
      );
      return true;
    }
    if (this.tryStart(c, c.facility, borrowing, [])) return true;

    if (!borrowing && this.input.policy.tiers[t]!.reclaimByPreemption) {
      const plan = this.preemptionFinder.cheapest(c.facility, this.nowMs);
      if (plan) {
        const gainGpuS = c.gpus * job.estimatedRuntimeS;
        if (plan.lostGpuS > gainGpuS) {
          this.wait(
            job,
            { kind: "preemption-not-worth", lostGpuS: plan.lostGpuS, gainGpuS },
            this.fluidEstimate(c, c.facility),
          );
          return true;
        }
        for (const v of plan.victims) {
          this.preempt.push({ jobId: v.job.id, byJobId: job.id, lostGpuS: lostGpuS(v, this.nowMs) });
          this.state.remove(v);
        }
        this.commitStart(
          c,
          plan.placement,
          false,
          plan.victims.map((v) => v.job.id),
        );
        return true;
      }
    }
    this.blocked(c, [...c.own, ...c.facility]);
    return true;
  }

  private tryStart(c: Candidate, pools: PoolRequest[], borrowing: boolean, preempted: string[]): boolean {
    const endAtMs = this.nowMs + c.job.limitS * 1000;
    for (const { pool, req } of pools) {
      const placement = place(this.state.occ, pool, req, this.state.occ.viewFor(pool.index, endAtMs));
      if (placement) {
        this.commitStart(c, placement, borrowing, preempted);
        return true;
      }
    }
    return false;
  }

  private commitStart(c: Candidate, placement: Placement, borrowing: boolean, preempted: string[]): void {
    const { job } = c;
    const owned = this.cf.siteOwner[this.cf.pools[placement.pool]!.siteIndex] !== null;
    this.state.add({
      job,
      pool: placement.pool,
      tier: owned ? -1 : c.tier,
      nodes: placement.nodes,
      masks: placement.masks,
      startedAtMs: this.nowMs,
      limitEndAtMs: this.nowMs + job.limitS * 1000,
      estimatedEndAtMs: this.nowMs + job.estimatedRuntimeS * 1000,
      startedThisPass: true,
    });
    this.workAheadGpuS[placement.pool]! += c.gpus * job.estimatedRuntimeS;
    const tenant = this.limits.tenants.get(job.tenantId)!;
    this.keys.set(
      job.tenantId,
      (this.keys.get(job.tenantId) ?? 0) + (c.gpus * job.estimatedRuntimeS) / 3600 / tenant.weight,
    );
    this.start.push({
      jobId: job.id,
      allocation: toAllocation(this.cf, placement),
      borrowing,
      backfilled: this.reservations.length > 0,
      preempted,
    });
  }

  /** No room now: a reservation while the depth allows, else a fluid estimate. */
  private blocked(c: Candidate, pools: PoolRequest[]): void {
    const { job } = c;
    if (this.reservations.length < this.input.policy.backfill.reservationDepth) {
      const plan = this.reservationFinder.earliest(pools, this.nowMs, this.state.version);
      if (plan) {
        for (let k = 0; k < plan.placement.nodes.length; k++)
          this.state.occ.reserve(plan.placement.nodes[k]!, plan.placement.masks[k]!, plan.atMs);
        this.reservationFinder.add({
          ...plan.placement,
          endAtMs: plan.atMs + job.limitS * 1000,
        });
        const allocation = toAllocation(this.cf, plan.placement);
        this.reservations.push({ jobId: job.id, startAtMs: plan.atMs, allocation });
        this.wait(
          job,
          { kind: "reserved", startAtMs: plan.atMs, siteId: allocation.siteId, gpus: c.gpus },
          plan.atMs,
        );
        return;
      }
    }
    const first = pools[0]!;
    const models = [...new Set(pools.map((p) => p.pool.nodeType.gpuModel))];
    this.wait(
      job,
      { kind: "no-room", scope: LEVEL_SCOPE[first.req.level]!, gpus: c.gpus, gpuModels: models },
      this.fluidEstimate(c, pools),
    );
  }

  private fluidEstimate(c: Candidate, pools: PoolRequest[]): number | null {
    if (pools.length === 0) return null;
    let work = 0;
    let gpus = 0;
    for (const { pool } of pools) {
      work += this.workAheadGpuS[pool.index]!;
      gpus += this.poolGpus[pool.index]!;
    }
    if (gpus === 0) return null;
    const add = c.gpus * c.job.estimatedRuntimeS;
    for (const { pool } of pools)
      this.workAheadGpuS[pool.index]! += (add * this.poolGpus[pool.index]!) / gpus;
    const estimate = this.nowMs + Math.ceil((work / gpus) * 1000);
    return c.job.notBeforeAtMs !== null ? Math.max(estimate, c.job.notBeforeAtMs) : estimate;
  }

  private tooLarge(job: Job, pools: number[]): WaitingReason {
    let largest = 0;
    let scope = "any eligible site";
    for (const p of pools) {
      const pool = this.cf.pools[p]!;
      const cap =
        job.topology === "nvlink-domain"
          ? pool.maxDomainGpus
          : job.topology === "network-block"
            ? pool.maxBlockGpus
            : pool.gpuCount;
      if (cap > largest) largest = cap;
    }
    if (job.topology === "nvlink-domain") scope = "one NVLink domain";
    if (job.topology === "network-block") scope = "one network block";
    return { kind: "too-large", gpus: totalGpus(job.shape), largestGpus: largest, scope };
  }

  private wait(job: Job, reason: WaitingReason, estimatedStartAtMs: number | null): void {
    this.waiting.push({ jobId: job.id, reason, estimatedStartAtMs });
  }

  private addRunning(r: RunningJob): void {
    const { cf } = this;
    const nodes: number[] = [];
    const masks: number[] = [];
    for (const na of r.allocation.nodes) {
      const i = cf.nodeIndexById.get(na.nodeId);
      if (i === undefined) throw new Error(`running job ${r.job.id}: unknown node ${na.nodeId}`);
      let m = 0;
      for (const g of na.gpus) {
        if (g < 0 || g >= cf.nodeGpus[i]!)
          throw new Error(`running job ${r.job.id}: node ${na.nodeId} has no GPU ${g}`);
        m |= 1 << g;
      }
      nodes.push(i);
      masks.push(m >>> 0);
    }
    if (nodes.length === 0) throw new Error(`running job ${r.job.id} holds no GPUs`);
    const pool = cf.nodePool[nodes[0]!]!;
    const owned = cf.siteOwner[cf.pools[pool]!.siteIndex] !== null;
    const tenant = this.limits.tenants.get(r.job.tenantId);
    const tier = owned || !tenant ? -1 : (this.limits.tierIndex.get(tenant.tierId) ?? -1);
    const h = this.state.add({
      job: r.job,
      pool,
      tier,
      nodes,
      masks,
      startedAtMs: r.startedAtMs,
      limitEndAtMs: r.startedAtMs + r.job.limitS * 1000,
      estimatedEndAtMs: r.startedAtMs + r.job.estimatedRuntimeS * 1000,
      startedThisPass: false,
    });
    this.workAheadGpuS[pool]! += h.gpus * Math.max(0, (h.estimatedEndAtMs - this.nowMs) / 1000);
  }

  private initKeys(): void {
    const { policy, usage, nowMs } = this.input;
    const halfLifeS = policy.fairShare.halfLifeS;
    const hours = new Map<string, number>();
    for (const u of usage)
      hours.set(
        u.tenantId,
        (hours.get(u.tenantId) ?? 0) + decayedGpuHours(u.decayedGpuHours, u.atMs, nowMs, halfLifeS),
      );
    for (const h of this.state.holdings) {
      const remainingS = Math.max(0, (h.estimatedEndAtMs - nowMs) / 1000);
      hours.set(h.job.tenantId, (hours.get(h.job.tenantId) ?? 0) + (h.gpus * remainingS) / 3600);
    }
    for (const tenant of policy.tenants)
      this.keys.set(tenant.id, (hours.get(tenant.id) ?? 0) / tenant.weight);
  }
}
