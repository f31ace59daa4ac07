// What preempting a running job costs, and the order in which running jobs are offered as preemption
// victims, cheapest first.
import type { Holding } from "./holding.ts";

/** GPU-seconds of work since the job's last checkpoint: what preempting it now throws away. */
export function lostGpuS(h: Holding, nowMs: number): number {
  const ranS = Math.max(0, (nowMs - h.startedAtMs) / 1000);
  const interval = h.job.checkpointIntervalS;
  const sinceCheckpointS = interval && interval > 0 ? ranS % interval : ranS;
  return h.gpus * sinceCheckpointS;
}

/** A running job with what preempting it now would destroy. */
export interface PricedHolding {
  holding: Holding;
  /** GPU-seconds of work since its last checkpoint (lostGpuS). */
  lostGpuS: number;
}

/**
 * Victims, cheapest first:
 *  1. least work lost since the last checkpoint (GPU-seconds);
 *  2. then the lowest tier (the highest tier index);
 *  3. then the youngest job (latest start);
 *  4. then the job id, so the order is total and the same on every run.
 */
export function victimOrder(a: PricedHolding, b: PricedHolding): number {
  return (
    a.lostGpuS - b.lostGpuS ||
    b.holding.tier - a.holding.tier ||
    b.holding.startedAtMs - a.holding.startedAtMs ||
    (a.holding.job.id < b.holding.job.id ? -1 : a.holding.job.id > b.holding.job.id ? 1 : 0)
  );
}
