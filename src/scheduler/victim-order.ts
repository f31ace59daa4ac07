// What preempting a running job costs, and the order in which running jobs are offered as preemption
// victims, cheapest first.
import type { Policy } from "../model/types.ts";
import type { Holding } from "./holding.ts";

/**
 * The thrash guard: a running job is never preempted before it has run this long (policy
 * `preemption.minRuntime`). Ten minutes is twice the five minutes within which quick passes' borrowers used
 * to be preempted by the next full pass, and short next to the hours GPU jobs run.
 */
export const DEFAULT_MIN_RUNTIME_S = 600;

/** The policy's minimum runtime before preemption, in seconds. */
export function minRuntimeS(policy: Policy): number {
  return policy.preemption?.minRuntimeS ?? DEFAULT_MIN_RUNTIME_S;
}

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
