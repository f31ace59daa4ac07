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
import { addRunning, createCore, runPass, type SchedulerCore } from "./pass.ts";

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
    if (
      this.core.queue.candidates.has(job.id) ||
      this.never.has(job.id) ||
      this.core.state.holdingByJob.has(job.id)
    )
      throw new Error(`job ${job.id} is already known to the scheduler`);
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

  setUsage(usage: TenantUsage[]): void {
    this.usage = usage;
  }

  pass(nowMs: number, options: { maxJobsPerPhase?: number } = {}): Decisions & { complete: boolean } {
    const outcome = runPass(this.core, { nowMs, usage: this.usage, ...options });
    for (const s of outcome.start) this.core.queue.remove(s.jobId);
    const never = outcome.complete ? [...this.never.values()].map((n) => n.waiting) : [];
    return {
      nowMs,
      start: outcome.start,
      preempt: outcome.preempt,
      reservations: outcome.reservations,
      waiting: [...never, ...outcome.waiting],
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
