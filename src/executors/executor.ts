// Where decisions turn into work. The control loop hands every start and stop to an executor and hears
// back when a job ends; the simulated executor (the default) and a cluster executor sit behind this.
import type { Allocation, Job } from "../model/types.ts";

export type ExecutorOutcome = "completed" | "failed";

export interface ExecutorListener {
  /** A job ended on its own at `atMs` (control-plane time). Not called for jobs stopped through stop(). */
  finished(jobId: string, atMs: number, outcome: ExecutorOutcome): void;
}

export interface Executor {
  /** Runs the job on exactly these GPUs; also used after a restart to adopt a job already running. */
  start(job: Job, allocation: Allocation, startedAtMs: number): void;
  /** Stops a running job (preempted or cancelled); unknown ids are ignored. */
  stop(jobId: string): void;
  /** How far behind its own schedule the executor is in reporting ends, in ms (0 when on time). */
  lagMs(): number;
  close(): Promise<void>;
}
