// What the control loop keeps next to the scheduling core: the session, the latest waiting decision per
// queued job and the queue view built from them. Pure and synchronous; the control plane runs it on a
// thread of its own (src/workers/scheduler-thread.ts) so a pass over a long queue never holds up the API.
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import { type CompiledFacility, compileFacility } from "../scheduler/compile-facility.ts";
import type { PreemptDecision, StartDecision, WaitingDecision } from "../scheduler/decisions.ts";
import { describeWaiting } from "../scheduler/explain.ts";
import { totalGpus } from "../scheduler/request.ts";
import { SchedulerSession, type SessionSnapshot } from "../scheduler/session.ts";
import type { QueueEntry, QueueView } from "./control-plane.ts";

export interface PassRequest {
  nowMs: number;
  /** Fair-share usage per tenant as of now. */
  usage: TenantUsage[];
  /** A full pass re-examines the whole queue; a quick one the head of each phase. */
  full: boolean;
  /** Jobs a quick pass examines at the head of each phase. */
  quickPassJobs: number;
}

/** What the control loop carries out. Waiting decisions stay with the scheduler (see queue()). */
export interface PassResult {
  start: StartDecision[];
  preempt: PreemptDecision[];
  complete: boolean;
  /** Time the pass itself took, in ms. */
  durationMs: number;
}

export class LiveScheduler {
  private readonly compiled: CompiledFacility;
  private policy: Policy;
  private session: SchedulerSession;
  /** Latest waiting decision per queued job, in the order the last full pass considered them. */
  private waiting = new Map<string, WaitingDecision>();
  private lastPassAtMs = 0;
  /** Nodes the cluster takes no new work on (drained, down); see setUnavailable. */
  private unavailable = new Set<string>();

  constructor(facility: Facility, policy: Policy) {
    this.compiled = compileFacility(facility);
    this.policy = policy;
    this.session = new SchedulerSession(this.compiled, policy);
  }

  /** Starts afresh from stored state: at start-up, after a policy change, or when memory and store disagree. */
  reset(policy: Policy, running: RunningJob[], queued: Job[], usage: TenantUsage[]): void {
    this.policy = policy;
    this.session = new SchedulerSession(this.compiled, policy, running, usage);
    this.session.submitAll(queued);
    this.takeOutUnavailable();
    const kept = new Map<string, WaitingDecision>();
    for (const [jobId, w] of this.waiting) if (this.session.waitingJob(jobId)) kept.set(jobId, w);
    this.waiting = kept;
  }

  /**
   * A job the scheduler already holds is left as it is: a submission can reach the scheduler both in a
   * reset from the store (it was stored just before) and on its own right after.
   */
  submit(job: Job): void {
    if (!this.session.knows(job.id)) this.session.submit(job);
  }

  cancel(jobId: string): void {
    this.session.cancel(jobId);
    this.waiting.delete(jobId);
  }

  finish(jobId: string): void {
    this.session.finish(jobId);
    this.takeOutUnavailable();
  }

  /**
   * The nodes the clusters take no new work on now (Slurm drained or down them): out of placement, and
   * back in once they leave the list. A node that still runs jobs stays in until they end, since the
   * scheduler counts its GPUs as theirs; it gets no new work meanwhile only while those jobs hold it.
   */
  setUnavailable(nodeIds: string[]): void {
    const next = new Set(nodeIds);
    for (const nodeId of this.unavailable) if (!next.has(nodeId)) this.session.setNodeUp(nodeId, true);
    this.unavailable = next;
    this.takeOutUnavailable();
  }

  private takeOutUnavailable(): void {
    for (const nodeId of this.unavailable)
      if (this.session.jobsOnNode(nodeId).length === 0) this.session.setNodeUp(nodeId, false);
  }

  pass(request: PassRequest): PassResult {
    this.session.setUsage(request.usage);
    const began = performance.now();
    const decisions = this.session.pass(
      request.nowMs,
      request.full ? {} : { maxJobsPerPhase: request.quickPassJobs },
    );
    const durationMs = performance.now() - began;
    // A full pass replaces every reason; a quick pass only refreshes the jobs it looked at.
    if (decisions.complete) this.waiting = new Map(decisions.waiting.map((w) => [w.jobId, w]));
    else for (const w of decisions.waiting) this.waiting.set(w.jobId, w);
    for (const s of decisions.start) this.waiting.delete(s.jobId);
    // A preempted job is gone until the control loop has stored its requeue and submits it again.
    this.lastPassAtMs = request.nowMs;
    return {
      start: decisions.start,
      preempt: decisions.preempt,
      complete: decisions.complete,
      durationMs,
    };
  }

  snapshot(): SessionSnapshot {
    return this.session.snapshot();
  }

  /**
   * The queue per tier as the last passes left it. Every tier's count covers all tenants; the entries are
   * the first `limitPerTier` of `tenantId`'s, or of everyone's when it is null.
   */
  queue(tenantId: string | null, limitPerTier: number): QueueView {
    const tiers = this.policy.tiers.map((t) => ({
      tierId: t.id,
      waitingCount: 0,
      waiting: [] as QueueEntry[],
    }));
    const tierIndex = new Map(this.policy.tiers.map((t, i) => [t.id, i]));
    const tenantTier = new Map(this.policy.tenants.map((t) => [t.id, t.tierId]));
    for (const [jobId, w] of this.waiting) {
      const job = this.session.waitingJob(jobId);
      if (job === undefined) continue;
      const tierId = tenantTier.get(job.tenantId);
      const i = tierId === undefined ? undefined : tierIndex.get(tierId);
      if (i === undefined) continue;
      const tier = tiers[i]!;
      tier.waitingCount += 1;
      if ((tenantId !== null && job.tenantId !== tenantId) || tier.waiting.length >= limitPerTier) continue;
      tier.waiting.push({
        jobId,
        tenantId: job.tenantId,
        tierId: tierId!,
        gpus: totalGpus(job.shape),
        submittedAtMs: job.submittedAtMs,
        reason: w.reason,
        sentence: describeWaiting(w.reason, w.estimatedStartAtMs),
        estimatedStartAtMs: w.estimatedStartAtMs,
      });
    }
    return { atMs: this.lastPassAtMs, tiers };
  }
}
