// What one scheduling pass decides. Decisions are data: adapters (executor, store) apply them.
import type { Allocation, JobDeferral } from "../model/types.ts";

export interface StartDecision {
  jobId: string;
  allocation: Allocation;
  /** The tier holds more than its guarantee with this job. */
  borrowing: boolean;
  /** Started ahead of a blocked higher-priority job without delaying its reservation. */
  backfilled: boolean;
  /** Running jobs preempted to make room for this one. */
  preempted: string[];
}

export interface PreemptDecision {
  jobId: string;
  byJobId: string;
  /** GPU-seconds of work since the victim's last checkpoint, lost by preempting it. */
  lostGpuS: number;
}

export interface Reservation {
  jobId: string;
  startAtMs: number;
  allocation: Allocation;
}

/** Why a job is not starting in this pass. Structured so adapters can filter; `explain` renders a sentence. */
export type WaitingReason =
  | { kind: "not-yet"; notBeforeAtMs: number }
  /** Waiting, by its own opt-in, for the cleaner or cheaper hours deferral chose at submission. */
  | ({ kind: "deferred" } & JobDeferral)
  | { kind: "unknown-tenant"; tenantId: string }
  | { kind: "no-eligible-site"; detail: string }
  | { kind: "too-large"; gpus: number; largestGpus: number; scope: TopologyScope }
  /** A gang whose GPUs would fit but whose nodes would not: no place of its scope has that many nodes. */
  | { kind: "too-few-nodes"; nodes: number; gpusPerNode: number; largestNodes: number; scope: TopologyScope }
  | { kind: "tenant-quota"; tenantId: string; usedGpus: number; quotaGpus: number; gpus: number }
  /**
   * The job fits its tenant's hard quota, but would take room the quota keeps for an earlier job of the
   * same tenant that the quota holds back (quota-fence.ts): no later job starves it.
   */
  | {
      kind: "quota-held";
      tenantId: string;
      usedGpus: number;
      quotaGpus: number;
      gpus: number;
      heldForJobId: string;
      heldGpus: number;
    }
  /**
   * The job would take its tenant past a borrowable quota: it may run only on idle GPUs (and be preempted
   * from them), and none hold it now.
   */
  | { kind: "quota-borrowing"; tenantId: string; usedGpus: number; quotaGpus: number; gpus: number }
  | {
      kind: "borrowing-limit";
      tierId: string;
      guaranteedGpus: number;
      borrowedGpus: number;
      limitGpus: number;
      gpus: number;
    }
  | { kind: "no-room"; scope: TopologyScope; gpus: number; gpuModels: string[] }
  | { kind: "reserved"; startAtMs: number; siteId: string; gpus: number }
  | { kind: "preemption-not-worth"; lostGpuS: number; gainGpuS: number };

/** Where the room must be. `node`: the job runs on one node, so free GPUs spread over nodes do not help it. */
export type TopologyScope = "node" | "nvlink-domain" | "network-block" | "site";

export interface WaitingDecision {
  jobId: string;
  reason: WaitingReason;
  /** Earliest start the scheduler expects; exact for reservations, a fluid estimate otherwise; null = never. */
  estimatedStartAtMs: number | null;
}

export interface Decisions {
  nowMs: number;
  start: StartDecision[];
  preempt: PreemptDecision[];
  reservations: Reservation[];
  waiting: WaitingDecision[];
}
