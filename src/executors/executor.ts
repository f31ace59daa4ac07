// Where decisions turn into work. The control loop hands every start and stop to an executor and hears
// back when a job ends; the simulated executor (the default) and a cluster executor sit behind this.
import type { Allocation, Job } from "../model/types.ts";

export type ExecutorOutcome = "completed" | "failed";

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
  /** How far behind its own schedule the executor is in reporting ends, in ms (0 when on time). */
  lagMs(): number;
  close(): Promise<void>;
}
