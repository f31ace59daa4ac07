// How one transition changes a job record, without any database: the store locks the rows, runs these
// in order and writes the result, so the rules live in one place that tests can call directly.
import type { Allocation } from "../model/types.ts";
import type { JobRecord, JobState } from "./records.ts";
import type { JobTransition } from "./store.ts";

/** States each transition kind applies to; a job in any other state is skipped. */
export const EXPECTED_STATES: Record<JobTransition["kind"], readonly JobState[]> = {
  start: ["queued"],
  finish: ["running"],
  requeue: ["running"],
  cancel: ["queued", "running"],
};

export function gpuCount(allocation: Allocation): number {
  let gpus = 0;
  for (const node of allocation.nodes) gpus += node.gpus.length;
  return gpus;
}

/** The record after `transition`, or null when the job is not in a state the transition expects. */
export function applyTransition(record: JobRecord, transition: JobTransition): JobRecord | null {
  if (!EXPECTED_STATES[transition.kind].includes(record.state)) return null;
  const version = record.version + 1;
  switch (transition.kind) {
    case "start":
      return {
        ...record,
        state: "running",
        startedAtMs: transition.atMs,
        endedAtMs: null,
        allocation: transition.allocation,
        clusterGpus: null,
        version,
      };
    case "finish":
      return { ...endRun(record, transition.atMs), state: transition.outcome, version };
    case "requeue":
      return { ...endRun(record, transition.atMs), state: "queued", restarts: record.restarts + 1, version };
    case "cancel":
      // A queued job keeps the times of its last run (if any), so usage is never charged for queue time.
      return record.state === "running"
        ? { ...endRun(record, transition.atMs), state: "cancelled", version }
        : { ...record, state: "cancelled", version };
  }
}

/** Ends the current run at `atMs` and charges its GPU-seconds to the job. */
function endRun(record: JobRecord, atMs: number): JobRecord {
  return { ...record, endedAtMs: atMs, gpuSecondsUsed: record.gpuSecondsUsed + runGpuSeconds(record, atMs) };
}

/** GPU-seconds of the current run up to `atMs`; a clock stepped back before the start counts as nothing. */
export function runGpuSeconds(record: JobRecord, atMs: number): number {
  if (record.allocation === null || record.startedAtMs === null) return 0;
  return (gpuCount(record.allocation) * Math.max(0, atMs - record.startedAtMs)) / 1000;
}
