// The control plane's handle on its scheduler thread. A full pass over a long queue takes tens to
// hundreds of milliseconds of CPU; on the API's event loop it would hold up every request meanwhile, so
// the scheduler runs on a worker thread and the API thread only posts commands and awaits answers.
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import type { SessionSnapshot } from "../scheduler/session.ts";
import type { QueueView } from "../service/control-plane.ts";
import type { PassRequest, PassResult } from "../service/live-scheduler.ts";
import type { SchedulerCommand, SchedulerThreadData } from "./scheduler-protocol.ts";
import { WorkerThread } from "./worker-thread.ts";

export class SchedulerThread {
  private readonly thread: WorkerThread<SchedulerCommand>;

  /** `onCommandFailed`: a submission, cancellation, finish or reset failed; the scheduler may be out of step. */
  constructor(facility: Facility, policy: Policy, onCommandFailed: (error: Error) => void) {
    const data: SchedulerThreadData = { facility, policy };
    this.thread = new WorkerThread(
      "scheduler thread",
      new URL("./scheduler-worker.ts", import.meta.url),
      data,
      onCommandFailed,
    );
  }

  reset(policy: Policy, running: RunningJob[], queued: Job[], usage: TenantUsage[]): void {
    this.thread.post({ op: "reset", policy, running, queued, usage });
  }

  submit(job: Job): void {
    this.thread.post({ op: "submit", job });
  }

  cancel(jobId: string): void {
    this.thread.post({ op: "cancel", jobId });
  }

  finish(jobId: string): void {
    this.thread.post({ op: "finish", jobId });
  }

  /** See LiveScheduler.setUnavailable. */
  setUnavailable(nodeIds: string[]): void {
    this.thread.post({ op: "unavailable", nodeIds });
  }

  pass(request: PassRequest): Promise<PassResult> {
    return this.thread.request<PassResult>((id) => ({ id, op: "pass", request }));
  }

  snapshot(): Promise<SessionSnapshot> {
    return this.thread.request<SessionSnapshot>((id) => ({ id, op: "snapshot" }));
  }

  /** See LiveScheduler.queue. */
  queue(tenantId: string | null, limitPerTier: number): Promise<QueueView> {
    return this.thread.request<QueueView>((id) => ({ id, op: "queue", tenantId, limitPerTier }));
  }

  /** Why the thread died, or null while it runs (or after close). */
  failure(): Error | null {
    return this.thread.failure();
  }

  /** Stops the thread; requests still waiting are refused. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
