// A long-lived scheduler for a control loop: it keeps the facility's occupancy, the holders of every GPU
// and the ordered queue between passes, so a pass after one arrival or completion does not rebuild them.
// Every pass gives exactly what the pure `schedule` gives on the same running jobs and queue (tested);
// a quick pass (maxJobsPerPhase) examines only the head of each phase.
//
// The session assumes its decisions are carried out: a started job is running from then on and a
// preempted one is gone. Whoever executes them reports back with finish() and, to requeue a preempted
// job, submit().
import type { Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import { toAllocation } from "./allocation.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { Decisions, WaitingDecision, WaitingReason } from "./decisions.ts";
import { type IdleGpusByCause, shareIdleGpus, waitingGpusByCause } from "./idle-causes.ts";
import { addRunning, createCore, reservationsOf, runPass, type SchedulerCore } from "./pass.ts";
import { SHARED } from "./pass-state.ts";

export interface SessionSnapshot {
  /** GPUs on nodes that are up. */
  availableGpus: number;
  allocatedGpus: number;
  /** Jobs waiting that could run here some day (not those that never can). */
  queued: number;
  queuedByTier: Record<string, number>;
  /** Allocated GPUs per tier, tenant-owned sites under their owner's tier. */
  allocatedByTier: Record<string, number>;
}

export type Submission = { queued: true } | { queued: false; reason: WaitingReason };

export class SchedulerSession {
  private readonly core: SchedulerCore;
  /** Jobs that can never run here, with the reason, reported by every full pass. */
  private readonly never = new Map<string, { job: Job; waiting: WaitingDecision }>();
  private usage: TenantUsage[];

  constructor(
    facility: CompiledFacility,
    policy: Policy,
    running: RunningJob[] = [],
    usage: TenantUsage[] = [],
  ) {
    this.core = createCore(facility, policy);
    for (const r of running) addRunning(this.core, r);
    this.usage = usage;
  }

  submit(job: Job): Submission {
    if (this.knows(job.id)) throw new Error(`job ${job.id} is already known to the scheduler`);
    const a = this.core.admissions.admit(job);
    if (!a.ok) {
      this.never.set(job.id, { job, waiting: { jobId: job.id, reason: a.reason, estimatedStartAtMs: null } });
      return { queued: false, reason: a.reason };
    }
    this.core.queue.add(a.candidate);
    return { queued: true };
  }

  /** Submits many jobs at once (start-up, a restored queue); returns the ones that can never run. */
  submitAll(jobs: Job[]): WaitingDecision[] {
    const admitted = [];
    const refused: WaitingDecision[] = [];
    for (const job of jobs) {
      if (this.never.has(job.id) || this.core.state.holdingByJob.has(job.id))
        throw new Error(`job ${job.id} is already known to the scheduler`);
      const a = this.core.admissions.admit(job);
      if (a.ok) admitted.push(a.candidate);
      else {
        const waiting = { jobId: job.id, reason: a.reason, estimatedStartAtMs: null };
        this.never.set(job.id, { job, waiting });
        refused.push(waiting);
      }
    }
    this.core.queue.addAll(admitted);
    return refused;
  }

  /** A waiting job (one that can never run here included) by id. */
  waitingJob(jobId: string): Job | undefined {
    return this.core.queue.candidates.get(jobId)?.job ?? this.never.get(jobId)?.job;
  }

  /** Whether the job is waiting (or can never run here) or running. */
  knows(jobId: string): boolean {
    return (
      this.core.queue.candidates.has(jobId) ||
      this.never.has(jobId) ||
      this.core.state.holdingByJob.has(jobId)
    );
  }

  /** Removes a waiting job; false if it is not waiting. */
  cancel(jobId: string): boolean {
    return this.core.queue.remove(jobId) !== undefined || this.never.delete(jobId);
  }

  /** Frees a running job's GPUs (it completed, failed or was stopped); false if it is not running. */
  finish(jobId: string): boolean {
    const h = this.core.state.holdingByJob.get(jobId);
    if (!h) return false;
    this.core.state.remove(h);
    return true;
  }

  /** Jobs holding GPUs on a node, in job-id order. */
  jobsOnNode(nodeId: string): string[] {
    const i = this.nodeIndex(nodeId);
    const { owner, slotsPerNode, holdings } = this.core.state;
    const ids = new Set<string>();
    let shared = false;
    for (let g = 0; g < slotsPerNode; g++) {
      const handle = owner[i * slotsPerNode + g]!;
      if (handle >= 0) ids.add(holdings[handle]!.job.id);
      else if (handle === SHARED) shared = true;
    }
    // Shares of a GPU are not listed per slot: look for them among the holdings (rare: only shared GPUs).
    if (shared)
      for (const h of this.core.state.live()) if (h.gpuMilli > 0 && h.nodes[0] === i) ids.add(h.job.id);
    return [...ids].sort();
  }

  /** A node fails (jobs on it must have been finished first) or comes back from repair. */
  setNodeUp(nodeId: string, up: boolean): void {
    const i = this.nodeIndex(nodeId);
    const occ = this.core.state.occ;
    if ((occ.up[i] === 1) === up) return;
    if (!up && this.jobsOnNode(nodeId).length > 0) throw new Error(`node ${nodeId} still runs jobs`);
    occ.setUp(i, up);
    this.core.poolGpus[this.core.cf.nodePool[i]!]! += (up ? 1 : -1) * this.core.cf.nodeGpus[i]!;
  }

  /** The GPUs free at this instant shared out over what holds the waiting jobs back (idle-causes.ts). */
  idleGpusByCause(nowMs: number): IdleGpusByCause {
    let availableGpus = 0;
    for (const gpus of this.core.poolGpus) availableGpus += gpus;
    return shareIdleGpus(availableGpus - this.core.state.heldGpus, waitingGpusByCause(this.core, nowMs));
  }

  /** GPU and queue counts at this instant, from counts kept as jobs come and go (no walk over nodes or jobs). */
  snapshot(): SessionSnapshot {
    const { state, policy, queue, poolGpus, limits } = this.core;
    let availableGpus = 0;
    for (const gpus of poolGpus) availableGpus += gpus;
    // Counted in a Map and handed out as own properties: a tier is named by the policy, and a plain object
    // would drop one called __proto__.
    const allocatedByTier = new Map(policy.tiers.map((t) => [t.id, 0]));
    for (const [tenantId, gpus] of state.tenantHeld) {
      const tierId = limits.tenants.get(tenantId)?.tierId;
      if (tierId === undefined) continue;
      const held = allocatedByTier.get(tierId);
      if (held !== undefined) allocatedByTier.set(tierId, held + gpus);
    }
    return {
      availableGpus,
      allocatedGpus: state.heldGpus,
      queued: queue.candidates.size,
      queuedByTier: Object.fromEntries(policy.tiers.map((t, k) => [t.id, queue.queuedInTier(k)])),
      allocatedByTier: Object.fromEntries(allocatedByTier),
    };
  }

  private nodeIndex(nodeId: string): number {
    const i = this.core.cf.nodeIndexById.get(nodeId);
    if (i === undefined) throw new Error(`unknown node ${nodeId}`);
    return i;
  }

  setUsage(usage: TenantUsage[]): void {
    this.usage = usage;
  }

  /**
   * One pass at `nowMs`. `maxJobsPerPhase` makes it a quick pass over the head of each phase;
   * `explainWaiting: false` leaves waiting jobs out of the result (see PassOptions), for callers that
   * only carry out starts and preemptions.
   */
  pass(
    nowMs: number,
    options: { maxJobsPerPhase?: number; explainWaiting?: boolean } = {},
  ): Decisions & { complete: boolean } {
    const outcome = runPass(this.core, { nowMs, usage: this.usage, ...options });
    for (const s of outcome.start) this.core.queue.remove(s.jobId);
    // A complete pass that explains reports the jobs that can never run too, first.
    const explained = outcome.complete && options.explainWaiting !== false && this.never.size > 0;
    const waiting = explained
      ? [...[...this.never.values()].map((n) => n.waiting), ...outcome.waiting]
      : outcome.waiting;
    return {
      nowMs,
      start: outcome.start,
      preempt: outcome.preempt,
      // Like waiting reasons, reservations are reported by passes that explain (a simulation's passes
      // do not: turning a gang's nodes into node ids on every pass cost more than the pass).
      reservations: options.explainWaiting === false ? [] : reservationsOf(this.core, outcome.reservations),
      waiting,
      complete: outcome.complete,
    };
  }

  /** Running jobs as the pure `schedule` takes them, in job-id order. */
  running(): RunningJob[] {
    return [...this.core.state.live()]
      .sort((a, b) => (a.job.id < b.job.id ? -1 : 1))
      .map((h) => ({ job: h.job, startedAtMs: h.startedAtMs, allocation: toAllocation(this.core.cf, h) }));
  }

  runningJobIds(): string[] {
    return [...this.core.state.holdingByJob.keys()];
  }

  /** Waiting jobs, including those that can never run. */
  queued(): Job[] {
    return [
      ...[...this.core.queue.candidates.values()].map((c) => c.job),
      ...[...this.never.values()].map((n) => n.job),
    ];
  }
}
