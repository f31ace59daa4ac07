// Where decisions turn into work. The control loop hands every start and stop to an executor and hears
// back when a job ends; the simulated executor (the default) and a cluster executor sit behind this.
import type { Allocation, Job, NodeAllocation } from "../model/types.ts";

/**
 * How a run ended: `interrupted` when it was lost through no fault of the job (its node failed, the cluster
 * preempted it), so the job goes back to the queue and starts again from its last checkpoint.
 */
export type ExecutorOutcome = "completed" | "failed" | "interrupted";

/** Work on a site's cluster that Fjord did not submit: its nodes get none of Fjord's work while it runs. */
export interface ClusterOrphan {
  siteId: string;
  /** The cluster's own id of the job (Slurm's job id). */
  clusterJobId: string;
  name: string;
  /** The cluster's state of it, e.g. RUNNING or PENDING. */
  state: string;
  /** Fjord's ids of the nodes it holds (those the site has). */
  nodeIds: string[];
}

/** Why a job is stopped: a preempted job gets a signal and a grace to checkpoint before it is killed. */
export type StopReason = "preempted" | "cancelled";

export interface ExecutorListener {
  /**
   * A job ended on its own at `atMs` (control-plane time), with what the executor knows of why (e.g. the
   * cluster's final state). Not called for jobs stopped through stop().
   */
  finished(jobId: string, atMs: number, outcome: ExecutorOutcome, detail?: string): void;
  /**
   * The site's nodes its cluster takes no new work on now (drained, down, not responding), whenever that
   * set changes; an executor with no cluster never calls it.
   */
  nodesUnavailable?(siteId: string, nodeIds: string[]): void;
  /**
   * The GPU indices the cluster gave the run of `jobId` that started at `startedAtMs` (Fjord's node ids;
   * a cluster may pick other indices than Fjord chose); an executor with no cluster never calls it.
   */
  gpusGranted?(jobId: string, startedAtMs: number, nodes: NodeAllocation[]): void;
}

export interface Executor {
  /** Runs the job on exactly these GPUs; also used after a restart to adopt a job already running. */
  start(job: Job, allocation: Allocation, startedAtMs: number): void;
  /** Stops a running job; unknown ids are ignored. */
  stop(jobId: string, reason: StopReason): void;
  /**
   * The control plane has handed over, through start(), every job it holds running (after a restart it
   * adopts them all first): from now on, work on the cluster it did not name is not Fjord's.
   */
  adoptionComplete?(): void;
  /** Work on the executor's clusters that Fjord did not submit, as of its last look. */
  orphans?(): ClusterOrphan[];
  /** How far behind its own schedule the executor is in reporting ends, in ms (0 when on time). */
  lagMs(): number;
  close(): Promise<void>;
}
