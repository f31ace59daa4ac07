// The workload's arrivals in the order the simulation meets them: by arrival time (a submission before the
// period arrives at its start), then by position in the workload. Read as a stream beside the event queue
// instead of queued up front, so the event queue holds only what is in flight (runs, wake-ups, samples),
// not a million future arrivals.
import type { SimJob } from "./types.ts";

export class Arrivals {
  /** Workload indices of the jobs that arrive, in arrival order. */
  private readonly order: Int32Array;
  private readonly atMs: Float64Array;
  private next = 0;

  /** Jobs submitted at or after `toMs` do not arrive (the caller counts them as skipped). */
  constructor(workload: readonly SimJob[], fromMs: number, toMs: number) {
    const indices: number[] = [];
    for (let i = 0; i < workload.length; i++) if (workload[i]!.job.submittedAtMs < toMs) indices.push(i);
    const at = (i: number) => Math.max(fromMs, workload[i]!.job.submittedAtMs);
    let sorted = true;
    for (let k = 1; k < indices.length && sorted; k++) sorted = at(indices[k - 1]!) <= at(indices[k]!);
    // Workloads usually come in submission order; sort only when they do not.
    if (!sorted) indices.sort((a, b) => at(a) - at(b) || a - b);
    this.order = Int32Array.from(indices);
    this.atMs = Float64Array.from(indices, at);
  }

  get count(): number {
    return this.order.length;
  }

  get left(): number {
    return this.order.length - this.next;
  }

  /** Time of the next arrival; Infinity when none is left. */
  peekTime(): number {
    return this.next < this.order.length ? this.atMs[this.next]! : Number.POSITIVE_INFINITY;
  }

  /** The workload index of the next arrival. */
  take(): number {
    return this.order[this.next++]!;
  }
}
