// The control plane's handle on its scheduler thread. A full pass over a long queue takes tens to
// hundreds of milliseconds of CPU; on the API's event loop it would hold up every request meanwhile, so
// the scheduler runs on a worker thread and the API thread only posts commands and awaits answers.
import { Worker } from "node:worker_threads";
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import type { SessionSnapshot } from "../scheduler/session.ts";
import type { QueueView } from "./control-plane.ts";
import type { PassRequest, PassResult } from "./live-scheduler.ts";
import type { SchedulerCommand, SchedulerReply, SchedulerThreadData } from "./scheduler-protocol.ts";

/** Commands posted in one message at most: bounds the copy a single message makes. */
const MAX_BATCH = 1024;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class SchedulerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /**
   * Commands not sent yet. Under a burst of submissions, one message per submission would cost more than
   * the submissions themselves; they go together at the end of the current turn of the event loop, or
   * before the next request, in the order they were posted.
   */
  private outbox: SchedulerCommand[] = [];
  private flushScheduled = false;
  /** Why the thread is gone; every request after that is refused with it. */
  private stopped: Error | null = null;

  constructor(facility: Facility, policy: Policy) {
    const workerData: SchedulerThreadData = { facility, policy };
    this.worker = new Worker(new URL("./scheduler-worker-entry.js", import.meta.url), { workerData });
    // The API server keeps the process alive; a forgotten thread must not.
    this.worker.unref();
    this.worker.on("message", (reply: SchedulerReply) => this.settle(reply));
    this.worker.on("error", (err) =>
      this.end(new Error(`the scheduler thread failed: ${err.message}`, { cause: err })),
    );
    this.worker.on("exit", (code) => this.end(new Error(`the scheduler thread exited with code ${code}`)));
  }

  reset(policy: Policy, running: RunningJob[], queued: Job[], usage: TenantUsage[]): void {
    this.post({ op: "reset", policy, running, queued, usage });
  }

  submit(job: Job): void {
    this.post({ op: "submit", job });
  }

  cancel(jobId: string): void {
    this.post({ op: "cancel", jobId });
  }

  finish(jobId: string): void {
    this.post({ op: "finish", jobId });
  }

  pass(request: PassRequest): Promise<PassResult> {
    return this.request<PassResult>((id) => ({ op: "pass", id, request }));
  }

  snapshot(): Promise<SessionSnapshot> {
    return this.request<SessionSnapshot>((id) => ({ op: "snapshot", id }));
  }

  /** See LiveScheduler.queue. */
  queue(tenantId: string | null, limitPerTier: number): Promise<QueueView> {
    return this.request<QueueView>((id) => ({ op: "queue", id, tenantId, limitPerTier }));
  }

  /** Stops the thread; requests still waiting are refused. */
  async close(): Promise<void> {
    this.end(new Error("the scheduler thread was stopped"));
    await this.worker.terminate();
  }

  private post(command: SchedulerCommand): void {
    if (this.stopped !== null) return;
    this.outbox.push(command);
    if (this.outbox.length >= MAX_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private request<T>(command: (id: number) => SchedulerCommand): Promise<T> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.outbox.push(command(id));
      this.flush();
    });
  }

  private flush(): void {
    if (this.outbox.length === 0 || this.stopped !== null) return;
    const batch = this.outbox;
    this.outbox = [];
    this.worker.postMessage(batch);
  }

  private settle(reply: SchedulerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else {
      const error = new Error(reply.message);
      if (reply.stack !== undefined) error.stack = reply.stack;
      pending.reject(error);
    }
  }

  private end(reason: Error): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}
