// One scheduling pass over a scheduler core: the shared engine behind the pure `schedule` function and
// the long-lived SchedulerSession.
//
// Order of service, in two phases over the tiers in priority order and, inside each tier, the tenants in
// fair-share order (fair-order.ts):
//  1. guaranteed: every job that keeps its tier within its guaranteed share. When such a job does not fit
//     and its tier reclaims by preemption, it may preempt other tiers' borrowed jobs (preemption.ts).
//  2. borrowing: the remaining jobs, taking idle GPUs up to their tier's borrowing limit; among them the
//     jobs that would take their tenant past a borrowable quota, which only ever take idle GPUs.
// So no tier's guarantee waits behind another tier's borrowing, and idle GPUs still go to whoever can use
// them. The price is that inside a tier a job too large for what is left of the guarantee lets smaller
// jobs of the same tier go first; it keeps its place among the borrowers, and its reservation there.
//
// Backfill is conservative up to a depth: the first `reservationDepth` jobs that are blocked for lack of
// room each get a reservation (a time and exact GPUs, reservation.ts). Later jobs may start now only on
// GPUs no reservation holds, or on reserved GPUs they hand back (by their hard limit) before the earliest
// reservation of that pool begins. Jobs beyond the depth get a fluid estimate: the GPU-seconds of work
// ahead of them in their pools divided by those pools' GPUs.
//
// Before both phases, each tenant's jobs that only its own sites can run are walked on their own, with a
// reservation depth of their own (walkOwnOnly): an own cluster is outside tier accounting, and its backlog
// must take neither the tiers' look in a quick pass nor the facility's reservations.
//
// A pass may be limited to the first N jobs of each phase (a quick pass after an arrival or completion,
// as batch schedulers do between full passes); it then decides only the jobs it examined.
import type { Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import { toAllocation } from "./allocation.ts";
import { type Candidate, takesPartOfAGpu } from "./candidate.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type {
  PreemptDecision,
  Reservation,
  StartDecision,
  WaitingDecision,
  WaitingReason,
} from "./decisions.ts";
import { decayedGpuHours } from "./fair-order.ts";
import type { Holding } from "./holding.ts";
import { RAW } from "./occupancy.ts";
import { PassState } from "./pass-state.ts";
import { type Phase, PhaseWalker, type WalkHooks } from "./phase-walk.ts";
import { type Placement, place } from "./placement.ts";
import { type PolicyLimits, resolvePolicy } from "./policy-limits.ts";
import { PreemptionFinder } from "./preemption.ts";
import { Admissions, QueueIndex } from "./queue-index.ts";
import { heldGpus, quotaFences } from "./quota-fence.ts";
import { scopeOf } from "./request.ts";
import { type PoolRequest, ReservationFinder } from "./reservation.ts";
import { placeShare } from "./share-placement.ts";
import type { TenantQueue } from "./tenant-queue.ts";
import { lostGpuS, minRuntimeS } from "./victim-order.ts";

/** Everything a pass works on; built once per facility and policy, then kept or thrown away. */
export interface SchedulerCore {
  cf: CompiledFacility;
  policy: Policy;
  limits: PolicyLimits;
  state: PassState;
  queue: QueueIndex;
  admissions: Admissions;
  reservationFinder: ReservationFinder;
  preemptionFinder: PreemptionFinder;
  /** GPUs of up nodes per pool. */
  poolGpus: Float64Array;
  walker: PhaseWalker;
  /** Per tenant that owns sites, the pools of its sites. */
  ownPools: Map<string, number[]>;
  /**
   * Scratch a pass reuses rather than allocates: fair-share keys by tenant index (policy order), work
   * ahead per pool, preemption misses.
   */
  keys: Float64Array;
  workAheadGpuS: Float64Array;
  preemptionMisses: Map<PoolRequest[], number>;
}

export function createCore(cf: CompiledFacility, policy: Policy): SchedulerCore {
  const limits = resolvePolicy(policy, cf.facilityGpus);
  const state = new PassState(cf, policy.tiers.length);
  const poolGpus = new Float64Array(cf.pools.length);
  for (let i = 0; i < cf.nodeIds.length; i++)
    if (cf.nodeUp[i] === 1) poolGpus[cf.nodePool[i]!]! += cf.nodeGpus[i]!;
  const ownPools = new Map<string, number[]>();
  for (const pool of cf.pools) {
    const owner = cf.siteOwner[pool.siteIndex];
    if (owner === null || owner === undefined) continue;
    const pools = ownPools.get(owner);
    if (pools) pools.push(pool.index);
    else ownPools.set(owner, [pool.index]);
  }
  return {
    cf,
    policy,
    limits,
    state,
    queue: new QueueIndex(policy.tiers.length),
    admissions: new Admissions(cf, limits),
    reservationFinder: new ReservationFinder(state),
    preemptionFinder: new PreemptionFinder(state, limits, minRuntimeS(policy)),
    poolGpus,
    walker: new PhaseWalker(limits.tenantIndex),
    ownPools,
    keys: new Float64Array(policy.tenants.length),
    workAheadGpuS: new Float64Array(cf.pools.length),
    preemptionMisses: new Map(),
  };
}

/** Records a running job's GPUs; throws if they do not exist or are already held. */
export function addRunning(core: SchedulerCore, r: RunningJob): Holding {
  const { cf } = core;
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
  const shares = r.allocation.nodes.filter((n) => n.gpuMilli !== undefined);
  if (shares.length > 0 && (r.allocation.nodes.length > 1 || r.allocation.nodes[0]!.gpus.length !== 1))
    throw new Error(`running job ${r.job.id}: a share of a GPU is held on one GPU of one node`);
  const pool = cf.nodePool[nodes[0]!]!;
  if (nodes.some((i) => cf.nodePool[i] !== pool))
    throw new Error(`running job ${r.job.id} spans node types or sites`);
  const owned = cf.siteOwner[cf.pools[pool]!.siteIndex] !== null;
  const tenant = core.limits.tenants.get(r.job.tenantId);
  const tier = owned || !tenant ? -1 : (core.limits.tierIndex.get(tenant.tierId) ?? -1);
  return core.state.add({
    job: r.job,
    pool,
    tier,
    nodes,
    masks,
    gpuMilli: shares[0]?.gpuMilli ?? 0,
    startedAtMs: r.startedAtMs,
    limitEndAtMs: r.startedAtMs + r.job.limitS * 1000,
    estimatedEndAtMs: r.startedAtMs + r.job.estimatedRuntimeS * 1000,
    startedInPass: -1,
  });
}

export interface PassOptions {
  nowMs: number;
  usage: TenantUsage[];
  /** Examine at most this many jobs in each phase (default: all). */
  maxJobsPerPhase?: number;
  /**
   * Whether to report every waiting job with its reason and estimate (default true). Without, `waiting`
   * is empty and jobs only a GPU limit holds back are passed over in runs; starts, preemptions and
   * reservations are the same.
   */
  explainWaiting?: boolean;
}

/** A reservation as the pass holds it: exact GPUs as pool, nodes and masks (allocations are made on request). */
export interface PlannedReservation {
  jobId: string;
  startAtMs: number;
  placement: Placement;
}

export interface PassOutcome {
  start: StartDecision[];
  preempt: PreemptDecision[];
  reservations: PlannedReservation[];
  waiting: WaitingDecision[];
  /** Whether every queued job was examined. */
  complete: boolean;
}

export function runPass(core: SchedulerCore, options: PassOptions): PassOutcome {
  return new Pass(core, options).run();
}

class Pass implements WalkHooks {
  private readonly keys: Float64Array;
  private readonly start: StartDecision[] = [];
  private readonly preempt: PreemptDecision[] = [];
  private readonly reservations: PlannedReservation[] = [];
  private readonly waiting: WaitingDecision[] = [];
  /** Fluid estimate: GPU-seconds of work ahead in each pool. */
  private readonly workAheadGpuS: Float64Array;
  private readonly nowMs: number;
  private readonly explain: boolean;
  /**
   * Requests for which preemption found nothing, with the holdings version then: nothing has changed since.
   * Each pass starts a new version, as jobs started by the pass before become victims it may choose.
   */
  private readonly preemptionMisses: Map<PoolRequest[], number>;
  /** Per tenant with a hard quota, the job its quota room is kept for in this pass (quota-fence.ts). */
  private fences = new Map<string, Candidate>();
  /** Per tenant, its running jobs' estimated ends in order, for estimates behind its quota. */
  private readonly tenantEnds = new Map<string, { atMs: number; gpus: number }[]>();
  /** Reservations the queue being walked may still make: each own queue, and the tiers, have their own. */
  private reservationsLeft = 0;

  constructor(
    private readonly core: SchedulerCore,
    private readonly options: PassOptions,
  ) {
    this.nowMs = options.nowMs;
    this.explain = options.explainWaiting ?? true;
    this.keys = core.keys;
    this.workAheadGpuS = core.workAheadGpuS;
    this.preemptionMisses = core.preemptionMisses;
  }

  run(): PassOutcome {
    const { core, nowMs } = this;
    const { state } = core;
    state.passSerial++;
    state.version++;
    state.occ.clearReservations();
    core.reservationFinder.reset();
    state.work.advance(nowMs, () => state.live());
    // Work ahead serves only the estimates of waiting jobs.
    if (this.explain)
      for (let p = 0; p < this.workAheadGpuS.length; p++)
        this.workAheadGpuS[p] = state.work.poolGpuMs(p) / 1000;
    this.initKeys();
    this.fences = quotaFences(core.queue.byTier, core.limits.tenants, state.tenantUsed);

    const maxJobs = this.options.maxJobsPerPhase ?? Number.POSITIVE_INFINITY;
    // Jobs only a tenant's own sites can run go first there, ahead of the tenant's jobs that may also
    // run at the facility: an own cluster is kept for the work that has nowhere else to go.
    const ownComplete = this.walkOwnOnly(maxJobs);
    this.reservationsLeft = core.policy.backfill.reservationDepth;
    const complete = core.walker.walk(core.queue.byTier, this.keys, maxJobs, this) && ownComplete;
    return {
      start: this.start,
      preempt: this.preempt,
      reservations: this.reservations,
      waiting: this.waiting,
      complete,
    };
  }

  /**
   * The most GPUs a job of this tenant may ask for and still get past its tier's guarantee (guaranteed
   * phase) or borrowing limit (borrowing phase) and the tenant's quota: larger jobs would only wait, or be
   * handed on to the borrowing phase, so a pass that does not explain them may pass them over.
   */
  lookAtMost(phase: Phase, t: number, tenantId: string, pos: number, queue: TenantQueue): number {
    if (this.explain) return Number.POSITIVE_INFINITY;
    const { guaranteedGpus, borrowingLimitGpus, tenants } = this.core.limits;
    const room = guaranteedGpus[t]! - this.core.state.tierUsed[t]!;
    const tenant = tenants.get(tenantId)!;
    // A borrowable quota holds no job back for good: past it, a job waits for idle GPUs instead.
    const quotaRoom =
      tenant.quotaGpus === null || tenant.quotaMode === "borrowable"
        ? Number.POSITIVE_INFINITY
        : tenant.quotaGpus -
          (this.core.state.tenantUsed.get(tenantId) ?? 0) -
          // Only a tenant with a fenced job pays for finding the job at pos.
          (this.fences.has(tenantId) ? heldGpus(this.fences.get(tenantId), queue.at(pos)) : 0);
    return Math.min(phase === "guaranteed" ? room : room + borrowingLimitGpus[t]!, quotaRoom);
  }

  /**
   * Each tenant's jobs that only its own sites can run, in the tenant's order, with a reservation depth
   * of their own. A pass that does not explain steps over jobs larger than the GPUs free at the tenant's
   * sites once the depth is used up, so a backlog there costs a pass next to nothing. Returns whether
   * every job was examined (at most `maxJobs` per tenant are).
   */
  private walkOwnOnly(maxJobs: number): boolean {
    const { queue, ownPools, state } = this.core;
    const free = state.occ.poolFree[RAW];
    let complete = true;
    for (const q of queue.ownOnly) {
      this.reservationsLeft = this.core.policy.backfill.reservationDepth;
      const pools = ownPools.get(q.tenantId) ?? [];
      let left = maxJobs;
      for (let pos = 0; pos < q.length; pos++) {
        if (!this.explain && this.reservationsLeft === 0) {
          let freeGpus = 0;
          let shared = false;
          for (const p of pools) {
            freeGpus += free[p]!;
            if (state.shared.count(p) > 0) shared = true;
          }
          // A shared GPU with room may take a share (less than one GPU) though no GPU is free.
          if (shared) freeGpus += 0.999;
          const next = q.firstAtMost(pos, q.length, freeGpus);
          // Stepped over is examined, as in the tiers' walk: a quick pass is as complete either way.
          left -= next - pos;
          pos = next;
          if (left < 0) {
            complete = false;
            break;
          }
          if (pos === q.length) break;
        }
        if (left-- === 0) {
          complete = false;
          break;
        }
        this.consider(q.at(pos), "guaranteed");
      }
    }
    return complete;
  }

  guaranteeRoom(t: number): number {
    return this.core.limits.guaranteedGpus[t]! - this.core.state.tierUsed[t]!;
  }

  /** Decides one job; in the guaranteed phase, returns false for a job that would borrow. */
  consider(c: Candidate, phase: Phase): boolean {
    const { job } = c;
    const t = c.tier;
    const { guaranteedGpus, borrowingLimitGpus } = this.core.limits;
    if (job.notBeforeAtMs !== null && job.notBeforeAtMs > this.nowMs) {
      // A start window that deferral opened is explained as the deferral, not as the owner's own window.
      const deferral = job.deferral;
      this.wait(
        job,
        deferral && deferral.untilAtMs === job.notBeforeAtMs
          ? { kind: "deferred", ...deferral }
          : { kind: "not-yet", notBeforeAtMs: job.notBeforeAtMs },
        job.notBeforeAtMs,
      );
      return true;
    }
    // A tenant's own site is outside tier accounting: try it first.
    const { own, facility } = c.requests;
    if (own.length > 0 && this.tryStart(c, own, false, [])) return true;
    if (facility.length === 0) {
      this.blocked(c, own, c.requests.ownModels);
      return true;
    }

    const used = this.core.state.tierUsed[t]!;
    const borrowing = used + c.gpus > guaranteedGpus[t]!;
    if (borrowing && phase === "guaranteed") return false;
    if (borrowing && used + c.gpus > guaranteedGpus[t]! + borrowingLimitGpus[t]!) {
      const tier = this.core.policy.tiers[t]!;
      this.wait(
        job,
        {
          kind: "borrowing-limit",
          tierId: tier.id,
          guaranteedGpus: guaranteedGpus[t]!,
          borrowedGpus: Math.max(0, used - guaranteedGpus[t]!),
          limitGpus: borrowingLimitGpus[t]!,
          gpus: c.gpus,
        },
        // A job larger than all the tier may ever hold never starts.
        c.gpus > guaranteedGpus[t]! + borrowingLimitGpus[t]! ? null : this.fluidEstimate(c, facility),
      );
      return true;
    }
    const tenant = this.core.limits.tenants.get(job.tenantId)!;
    const tenantUsed = this.core.state.tenantUsed.get(job.tenantId) ?? 0;
    const { quotaGpus } = tenant;
    const overQuota = quotaGpus !== null && tenantUsed + c.gpus > quotaGpus;
    const held = overQuota ? 0 : heldGpus(this.fences.get(job.tenantId), c);
    if (quotaGpus !== null && held > 0 && tenantUsed + c.gpus + held > quotaGpus) {
      const fenced = this.fences.get(job.tenantId)!;
      this.wait(
        job,
        {
          kind: "quota-held",
          tenantId: tenant.id,
          usedGpus: tenantUsed,
          quotaGpus,
          gpus: c.gpus,
          heldForJobId: fenced.job.id,
          heldGpus: held,
        },
        // Not before the job it waits for can start.
        this.notBeforeQuotaRoom(job.tenantId, tenantUsed + held - quotaGpus, this.fluidEstimate(c, facility)),
      );
      return true;
    }
    if (overQuota && tenant.quotaMode !== "borrowable") {
      this.wait(
        job,
        {
          kind: "tenant-quota",
          tenantId: tenant.id,
          usedGpus: tenantUsed,
          quotaGpus,
          gpus: c.gpus,
        },
        // A job larger than the tenant's whole quota never starts; others not before the tenant's own
        // jobs have freed the room.
        c.gpus > quotaGpus
          ? null
          : this.notBeforeQuotaRoom(
              job.tenantId,
              tenantUsed + c.gpus - quotaGpus,
              this.fluidEstimate(c, facility),
            ),
      );
      return true;
    }
    // Past a borrowable quota a job only takes GPUs that are idle once every job within its tier's
    // guarantee had its turn: it goes with the borrowers, never preempts and holds no reservation, and its
    // GPUs above the quota may be taken back (preemption.ts).
    if (overQuota && phase === "guaranteed") return false;
    if (this.tryStart(c, facility, borrowing, [])) return true;
    if (overQuota) {
      this.wait(
        job,
        {
          kind: "quota-borrowing",
          tenantId: tenant.id,
          usedGpus: tenantUsed,
          quotaGpus,
          gpus: c.gpus,
        },
        this.fluidEstimate(c, facility),
      );
      return true;
    }

    // Preemption frees whole GPUs; a share of one waits for room instead of taking a whole GPU this way.
    if (!borrowing && this.core.policy.tiers[t]!.reclaimByPreemption && !takesPartOfAGpu(c)) {
      const plan = this.cheapestPreemption(c);
      if (plan) {
        const gainGpuS = c.gpus * job.estimatedRuntimeS;
        if (plan.lostGpuS > gainGpuS) {
          this.wait(
            job,
            { kind: "preemption-not-worth", lostGpuS: plan.lostGpuS, gainGpuS },
            this.fluidEstimate(c, facility),
          );
          return true;
        }
        for (const v of plan.victims) {
          this.preempt.push({ jobId: v.job.id, byJobId: job.id, lostGpuS: lostGpuS(v, this.nowMs) });
          this.core.state.remove(v);
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
    this.blocked(c, c.requests.all, c.requests.allModels);
    return true;
  }

  private cheapestPreemption(c: Candidate) {
    // Jobs with the same eligibility, shape and topology share one requests object: key on it.
    const key = c.requests.facility;
    const version = this.core.state.version;
    if (this.preemptionMisses.get(key) === version) return null;
    const plan = this.core.preemptionFinder.cheapest(key, this.nowMs);
    if (!plan) this.preemptionMisses.set(key, version);
    return plan;
  }

  private tryStart(c: Candidate, pools: PoolRequest[], borrowing: boolean, preempted: string[]): boolean {
    const endAtMs = this.nowMs + c.job.limitS * 1000;
    const { state } = this.core;
    for (const { pool, req } of pools) {
      const view = state.occ.viewFor(pool.index, endAtMs);
      const placement =
        req.gpuMilli > 0 ? placeShare(state, pool, req, view) : place(state.occ, pool, req, view);
      if (placement) {
        this.commitStart(c, placement, borrowing, preempted);
        return true;
      }
    }
    return false;
  }

  private commitStart(c: Candidate, placement: Placement, borrowing: boolean, preempted: string[]): void {
    const { job } = c;
    if (this.fences.get(job.tenantId) === c) this.fences.delete(job.tenantId);
    const owned = this.core.cf.siteOwner[this.core.cf.pools[placement.pool]!.siteIndex] !== null;
    this.core.state.add({
      job,
      pool: placement.pool,
      tier: owned ? -1 : c.tier,
      nodes: placement.nodes,
      masks: placement.masks,
      gpuMilli: placement.gpuMilli ?? 0,
      startedAtMs: this.nowMs,
      limitEndAtMs: this.nowMs + job.limitS * 1000,
      estimatedEndAtMs: this.nowMs + job.estimatedRuntimeS * 1000,
      startedInPass: this.core.state.passSerial,
    });
    if (this.explain) this.workAheadGpuS[placement.pool]! += c.gpus * job.estimatedRuntimeS;
    const tenant = this.core.limits.tenants.get(job.tenantId)!;
    const k = this.core.limits.tenantIndex.get(job.tenantId)!;
    this.keys[k] = this.keys[k]! + (c.gpus * job.estimatedRuntimeS) / 3600 / tenant.weight;
    this.start.push({
      jobId: job.id,
      allocation: toAllocation(this.core.cf, placement),
      borrowing,
      // Backfilled: it starts in a pool where a blocked job holds a reservation, ahead of that job.
      backfilled: Number.isFinite(this.core.state.occ.poolMinReservationAtMs[placement.pool]!),
      preempted,
    });
  }

  /** No room now: a reservation while the depth allows, else a fluid estimate. */
  private blocked(c: Candidate, pools: PoolRequest[], gpuModels: string[]): void {
    const { job } = c;
    // A share waits for room on a shared or free GPU without a reservation: reservations hold whole GPUs.
    if (this.reservationsLeft > 0 && !takesPartOfAGpu(c)) {
      const plan = this.core.reservationFinder.earliest(pools, this.nowMs);
      if (plan) {
        this.reservationsLeft--;
        for (let k = 0; k < plan.placement.nodes.length; k++)
          this.core.state.occ.reserve(plan.placement.nodes[k]!, plan.placement.masks[k]!, plan.atMs);
        this.core.reservationFinder.add(plan.placement, plan.atMs, plan.atMs + job.limitS * 1000);
        this.reservations.push({ jobId: job.id, startAtMs: plan.atMs, placement: plan.placement });
        if (this.explain) {
          const { siteId } = toAllocation(this.core.cf, plan.placement);
          this.wait(job, { kind: "reserved", startAtMs: plan.atMs, siteId, gpus: c.gpus }, plan.atMs);
        }
        return;
      }
    }
    const first = pools[0]!;
    this.wait(
      job,
      { kind: "no-room", scope: scopeOf(first.req), gpus: c.gpus, gpuModels },
      this.fluidEstimate(c, pools),
    );
  }

  /**
   * An estimate no earlier than when the tenant's own running jobs, ending as estimated, have freed
   * `needGpus` of its quota: a job its quota holds back cannot start sooner, however empty the facility.
   */
  private notBeforeQuotaRoom(tenantId: string, needGpus: number, estimate: number | null): number | null {
    if (estimate === null) return null;
    let ends = this.tenantEnds.get(tenantId);
    if (!ends) {
      // Built once per tenant and pass, and only by passes that explain (others estimate nothing).
      ends = this.core.state
        .live()
        .filter((h) => h.job.tenantId === tenantId && h.tier >= 0)
        .map((h) => ({ atMs: h.estimatedEndAtMs, gpus: h.gpus }))
        .sort((a, b) => a.atMs - b.atMs);
      this.tenantEnds.set(tenantId, ends);
    }
    let freed = 0;
    for (const end of ends) {
      freed += end.gpus;
      if (freed >= needGpus) return Math.max(estimate, end.atMs);
    }
    return ends.length === 0 ? estimate : Math.max(estimate, ends.at(-1)!.atMs);
  }

  private fluidEstimate(c: Candidate, pools: PoolRequest[]): number | null {
    // Estimates only ever reach waiting decisions: none to make when they are not reported.
    if (!this.explain || pools.length === 0) return null;
    let work = 0;
    let gpus = 0;
    for (const { pool } of pools) {
      work += this.workAheadGpuS[pool.index]!;
      gpus += this.core.poolGpus[pool.index]!;
    }
    if (gpus === 0) return null;
    const add = c.gpus * c.job.estimatedRuntimeS;
    for (const { pool } of pools)
      this.workAheadGpuS[pool.index]! += (add * this.core.poolGpus[pool.index]!) / gpus;
    const estimate = this.nowMs + Math.ceil((work / gpus) * 1000);
    return c.job.notBeforeAtMs !== null ? Math.max(estimate, c.job.notBeforeAtMs) : estimate;
  }

  private wait(job: Job, reason: WaitingReason, estimatedStartAtMs: number | null): void {
    if (!this.explain) return;
    this.waiting.push({ jobId: job.id, reason, estimatedStartAtMs });
  }

  private initKeys(): void {
    const { policy } = this.core;
    const { usage, nowMs } = this.options;
    const halfLifeS = policy.fairShare.halfLifeS;
    const keys = this.keys;
    const { tenantIndex } = this.core.limits;
    // Decayed hours first, summed per tenant in usage order; then committed hours and the weight.
    keys.fill(0);
    for (const u of usage) {
      const k = tenantIndex.get(u.tenantId);
      if (k !== undefined) keys[k] = keys[k]! + decayedGpuHours(u.decayedGpuHours, u.atMs, nowMs, halfLifeS);
    }
    policy.tenants.forEach((tenant, k) => {
      const committed = this.core.state.work.tenantGpuMs(tenant.id) / 3_600_000;
      keys[k] = (keys[k]! + committed) / tenant.weight;
    });
  }
}

export type { Candidate, WaitingReason };

/** The pass's reservations with each one's GPUs as node ids and GPU indices. */
export function reservationsOf(core: SchedulerCore, planned: readonly PlannedReservation[]): Reservation[] {
  return planned.map((r) => ({
    jobId: r.jobId,
    startAtMs: r.startAtMs,
    allocation: toAllocation(core.cf, r.placement),
  }));
}
