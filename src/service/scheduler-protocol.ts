// Messages between the control plane and its scheduler thread. A message to the thread is a batch of
// commands. Commands without an id change the scheduler's state and get no answer; those with an id get
// one reply each. The thread handles commands in the order they were posted, so a pass sees every
// submission, cancellation and finish sent before it.
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import type { PassRequest } from "./live-scheduler.ts";

export interface SchedulerThreadData {
  facility: Facility;
  policy: Policy;
}

export type SchedulerCommand =
  | { op: "reset"; policy: Policy; running: RunningJob[]; queued: Job[]; usage: TenantUsage[] }
  | { op: "submit"; job: Job }
  | { op: "cancel"; jobId: string }
  | { op: "finish"; jobId: string }
  | { op: "pass"; id: number; request: PassRequest }
  | { op: "snapshot"; id: number }
  | { op: "queue"; id: number; tenantId: string | null; limitPerTier: number };

/**
 * `ok: false` carries an error the request met, or one an earlier command without an answer met (which
 * the next request reports, so no error goes unseen).
 */
export type SchedulerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; stack: string | undefined };
