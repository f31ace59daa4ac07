// Slurm's job states in Fjord's terms. Fjord counts a job as running from the moment it decided to start
// it, so a job Slurm still holds PENDING (its nodes finishing a preempted job's grace) or COMPLETING is
// still running for Fjord; only a final state ends it.
import type { ExecutorOutcome } from "../executor.ts";

export type SlurmPhase =
  | { phase: "waiting" }
  | { phase: "running" }
  | { phase: "ended"; outcome: ExecutorOutcome };

const WAITING = new Set([
  "PENDING",
  "CONFIGURING",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESV_DEL_HOLD",
]);
// A run lost through no fault of the job: its node failed or did not boot, or Slurm preempted it. Fjord
// puts the job back in its queue (Slurm never requeues Fjord's jobs itself: they are submitted with
// --no-requeue). Fjord's own preemptions never show up here: it stops those runs itself and ignores their end.
const INTERRUPTED = new Set(["NODE_FAIL", "BOOT_FAIL", "PREEMPTED"]);

// Every other final state but COMPLETED is a failure of the run.
const FAILED = new Set([
  "FAILED",
  "TIMEOUT",
  "CANCELLED",
  "OUT_OF_MEMORY",
  "DEADLINE",
  "REVOKED",
  "SPECIAL_EXIT",
]);

export function slurmPhase(state: string): SlurmPhase {
  if (state === "COMPLETED") return { phase: "ended", outcome: "completed" };
  if (INTERRUPTED.has(state)) return { phase: "ended", outcome: "interrupted" };
  if (FAILED.has(state)) return { phase: "ended", outcome: "failed" };
  if (WAITING.has(state)) return { phase: "waiting" };
  // RUNNING, COMPLETING, SUSPENDED, SIGNALING, STAGE_OUT, …, and any state this version does not know:
  // the job holds its nodes; keep watching rather than end it on a guess.
  return { phase: "running" };
}
