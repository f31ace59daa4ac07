// What the simulator takes and what it records. The simulator is pure: workloads, facility, policy and
// a seed in; a SimulationResult out, the same bytes for the same inputs.
import type { Job } from "../model/types.ts";
import type { IdleGpusByCause } from "../scheduler/idle-causes.ts";

/** A job as a workload supplies it: what the scheduler sees, plus how long it really runs. */
export interface SimJob {
  job: Job;
  /** Seconds of work the job really needs (≤ its hard limit, or it is stopped at the limit). */
  runtimeS: number;
}

/** Reliability of one node type: failures per node as a Poisson process, repair after a fixed time. */
export interface NodeReliability {
  nodeTypeId: string;
  mtbfS: number;
  repairS: number;
}

/** How one stint of a job on GPUs ended. */
export type RunEnd = "completed" | "preempted" | "failed" | "limit" | "unfinished";

/** Whole nodes a run held, consecutive in the facility's node order: `count` nodes from `first` on. */
export interface NodeRange {
  first: string;
  count: number;
}

/** A node a run held only some GPUs of. */
export interface PartNode {
  nodeId: string;
  /** GPU indices on the node. */
  gpus: number[];
  /** A share of its one GPU, in thousandths; absent = whole GPUs. */
  gpuMilli?: number;
}

/**
 * The nodes a run held, compactly: a gang of hundreds of whole nodes is a range or two, not hundreds of
 * GPU lists (src/simulator/run-nodes.ts compacts and expands them).
 */
export interface RunNodes {
  wholeNodes: NodeRange[];
  partNodes: PartNode[];
}

/** One stint of a job on GPUs, recorded so it can be audited from the record alone. */
export interface SimRun extends RunNodes {
  startAtMs: number;
  endAtMs: number;
  siteId: string;
  /** A run is always in one pool: one site, one GPU model. */
  gpuModel: string;
  gpus: number;
  end: RunEnd;
  /** GPU-seconds of work thrown away when the run ended (since the last checkpoint); 0 when completed. */
  lostGpuS: number;
}

export interface SimJobRecord {
  jobId: string;
  tenantId: string;
  tierId: string;
  gpus: number;
  submittedAtMs: number;
  /** Work the job needed, in seconds of its full GPU allocation. */
  runtimeS: number;
  deadlineAtMs: number | null;
  runs: SimRun[];
  /** When the job's work was done; null if it never finished inside the simulated period. */
  completedAtMs: number | null;
}

/** The facility at one instant, sampled at a fixed interval. */
export interface SimSample {
  atMs: number;
  /** GPUs on nodes that are up. */
  availableGpus: number;
  allocatedGpus: number;
  /** Waiting jobs per tier id. */
  queuedByTier: Record<string, number>;
  /** Allocated GPUs per tier id (tenant-owned sites under their owner's tier). */
  allocatedByTier: Record<string, number>;
  /** Free GPUs that no waiting job could use at that instant (fragmentation). */
  strandedGpus: number;
  /** strandedGpus shared out over what held the waiting jobs back (scheduler/idle-causes.ts); absent: none. */
  idleGpusByCause?: IdleGpusByCause;
}

/** Input the simulator could not use, counted by reason (never dropped silently). */
export interface SkippedInput {
  reason: string;
  count: number;
}

export interface SimulationResult {
  fromMs: number;
  toMs: number;
  seed: number;
  jobs: SimJobRecord[];
  samples: SimSample[];
  skipped: SkippedInput[];
  /** GPU-seconds lost to node failures and to preemption. */
  lostToFailuresGpuS: number;
  lostToPreemptionGpuS: number;
  /** Events processed and scheduling passes run. */
  events: number;
  passes: number;
}
