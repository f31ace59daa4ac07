// A queued job as the scheduler walks it: its GPUs, its tier and the places it may use.
import type { Job } from "../model/types.ts";
import type { PoolRequest } from "./reservation.ts";

/** Where a job may be placed, shared by every job with the same eligibility, shape and topology. */
export interface Requests {
  /** Requests at the tenant's own sites, tried first. */
  own: PoolRequest[];
  /** Requests at facility-operated sites. */
  facility: PoolRequest[];
  /** Both, own first. */
  all: PoolRequest[];
  /** GPU models of `own` and of `all`, for waiting reasons. */
  ownModels: string[];
  allModels: string[];
}

/** Whether the job takes part of one GPU (a share or a MIG instance): every request of it says so. */
export function takesPartOfAGpu(c: Candidate): boolean {
  return c.requests.all[0]!.req.gpuMilli > 0;
}

export interface Candidate {
  job: Job;
  gpus: number;
  tier: number;
  requests: Requests;
  /**
   * The job's GPUs when a pass may step over it by a bound on GPUs — a facility-only job by its tier's and
   * tenant's GPU limits, a job only its tenant's own sites can run by their free GPUs — and it has no start
   * window; else −∞ (every pass looks at it).
   */
  sizeKey: number;
}
