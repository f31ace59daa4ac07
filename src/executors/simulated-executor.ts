// The default executor: nothing really runs. A started job "runs" for its estimated runtime (never past
// its limit) on the control plane's clock, which may be accelerated, and is reported finished when that
// time comes. It gives a laptop, a demo or a planning session a living facility with no cluster.
import type { Allocation, Job } from "../model/types.ts";
import type { ServiceClock } from "../service/service-clock.ts";
import { EventQueue } from "../simulator/event-queue.ts";
import type { Executor, ExecutorListener } from "./executor.ts";

export class SimulatedExecutor implements Executor {
  private readonly ends = new EventQueue<string>();
  /** End time of each running job; a queued end whose time no longer matches is stale (stopped, restarted). */
  private readonly endAtMs = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly clock: ServiceClock,
    private readonly listener: ExecutorListener,
  ) {}

  start(job: Job, _allocation: Allocation, startedAtMs: number): void {
    const endAtMs = startedAtMs + Math.min(job.estimatedRuntimeS, job.limitS) * 1000;
    this.endAtMs.set(job.id, endAtMs);
    this.ends.push(endAtMs, job.id);
    this.arm();
  }

  stop(jobId: string): void {
    this.endAtMs.delete(jobId);
  }

  lagMs(): number {
    this.dropStale();
    const next = this.ends.peekTime();
    return Number.isFinite(next) ? Math.max(0, this.clock.nowMs() - next) : 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private dropStale(): void {
    while (this.ends.size > 0) {
      const next = this.ends.pop()!;
      if (this.endAtMs.get(next.item) === next.atMs) {
        this.ends.push(next.atMs, next.item);
        return;
      }
    }
  }

  /** Sets one timer for the earliest end; ends that fall due together are reported in time order. */
  private arm(): void {
    if (this.closed) return;
    this.dropStale();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ends.size === 0) return;
    // Timers longer than ~24.8 days overflow Node's 32-bit delay; re-arming at most hourly avoids it.
    const delayMs = Math.min(this.clock.realDelayMs(this.ends.peekTime()), 3_600_000);
    this.timer = setTimeout(() => this.fire(), delayMs);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const nowMs = this.clock.nowMs();
    while (this.ends.size > 0 && this.ends.peekTime() <= nowMs) {
      const { atMs, item: jobId } = this.ends.pop()!;
      if (this.endAtMs.get(jobId) !== atMs) continue;
      this.endAtMs.delete(jobId);
      this.listener.finished(jobId, atMs, "completed");
    }
    this.arm();
  }
}
