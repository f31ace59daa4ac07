// The commands the control plane sends its scheduler thread (src/workers/protocol.ts for how). The thread
// handles them in order, so a pass sees every submission, cancellation and finish posted before it.
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import type { PassRequest } from "../service/live-scheduler.ts";

export interface SchedulerThreadData {
  facility: Facility;
  policy: Policy;
}

export type SchedulerCommand =
  | {
      id?: undefined;
      op: "reset";
      policy: Policy;
      running: RunningJob[];
      queued: Job[];
      usage: TenantUsage[];
    }
  | { id?: undefined; op: "submit"; job: Job }
  | { id?: undefined; op: "cancel"; jobId: string }
  | { id?: undefined; op: "finish"; jobId: string }
  | { id?: undefined; op: "unavailable"; nodeIds: string[] }
  | { id: number; op: "pass"; request: PassRequest }
  | { id: number; op: "snapshot" }
  | { id: number; op: "queue"; tenantId: string | null; limitPerTier: number };
