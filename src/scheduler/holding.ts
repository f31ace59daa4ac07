// One running job's hold on GPUs, as a pass sees it: where, how many, and until when.
import type { Job } from "../model/types.ts";

export interface Holding {
  handle: number;
  job: Job;
  pool: number;
  /** Tier index, or -1 at the tenant's own site (outside tier accounting). */
  tier: number;
  nodes: number[];
  masks: number[];
  /** GPUs held; a share of one GPU counts as its fraction. */
  gpus: number;
  /** A share of its one GPU, in thousandths (shared-gpus.ts); 0 = whole GPUs. */
  gpuMilli: number;
  startedAtMs: number;
  /** When the job is stopped at the latest: start + hard limit. */
  limitEndAtMs: number;
  /** When the job is expected to end: start + estimated runtime. */
  estimatedEndAtMs: number;
  /** Serial of the pass that started the job (PassState.passSerial), or -1 if it was running already. */
  startedInPass: number;
  live: boolean;
}
