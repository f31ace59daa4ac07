// What a batch of transitions writes, worked out in memory from the locked job rows: the records after
// each transition, the GPU rows to release and claim, the runs that start and end, and the audit drafts.
// Transitions apply in input order, so a batch may free a GPU and give it to another job; a GPU claimed
// while a job in the batch still holds it is refused here, one held by a job outside the batch by the
// database's primary key when the claim is written.
import { applyTransition, gpuCount } from "./job-lifecycle.ts";
import type { AuditDraft, JobRecord } from "./records.ts";
import type { JobTransition, TransitionOutcome } from "./store.ts";
import { GpuAlreadyHeldError } from "./store-errors.ts";

export interface RunRow {
  jobId: string;
  /** The job's restart count when the run started. */
  run: number;
  tenantId: string;
  siteId: string;
  gpus: number;
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface GpuClaim {
  nodeId: string;
  gpuIndex: number;
  jobId: string;
}

export interface TransitionPlan {
  outcome: TransitionOutcome;
  /** The final record of every job the batch changed. */
  changed: JobRecord[];
  /** Jobs that were running before the batch and whose run ended in it: their GPU rows go. */
  releasedJobIds: string[];
  /** GPUs of the runs the batch started and left running. */
  claims: GpuClaim[];
  /** Runs the batch started (with their end if the batch also ended them). */
  startedRuns: RunRow[];
  /** Runs open before the batch that it ended. */
  endedRuns: { jobId: string; run: number; endedAtMs: number }[];
  audit: AuditDraft[];
}

/** `current`: the locked records of every job the transitions name that exists. */
export function planTransitions(
  current: ReadonlyMap<string, JobRecord>,
  transitions: readonly JobTransition[],
): TransitionPlan {
  const records = new Map(current);
  // GPUs held by jobs of this batch, as the batch goes: "node/gpu" → job id.
  const holders = new Map<string, string>();
  for (const record of current.values())
    if (record.state === "running") forEachGpu(record, (key) => holders.set(key, record.job.id));

  const outcome: TransitionOutcome = { applied: [], skipped: [] };
  const audit: AuditDraft[] = [];
  const released = new Set<string>();
  const openRuns = new Map<string, RunRow>();
  const startedRuns: RunRow[] = [];
  const endedRuns: TransitionPlan["endedRuns"] = [];

  for (const transition of transitions) {
    const { jobId } = transition;
    const before = records.get(jobId);
    const after = before ? applyTransition(before, transition) : null;
    if (!before || !after) {
      outcome.skipped.push({ jobId, kind: transition.kind, state: before?.state ?? null });
      continue;
    }
    if (before.state === "running") {
      forEachGpu(before, (key) => holders.delete(key));
      const open = openRuns.get(jobId);
      if (open) {
        open.endedAtMs = transition.atMs;
        openRuns.delete(jobId);
      } else {
        released.add(jobId);
        endedRuns.push({ jobId, run: before.restarts, endedAtMs: transition.atMs });
      }
    }
    if (transition.kind === "start") {
      for (const node of transition.allocation.nodes)
        for (const gpu of node.gpus) {
          const key = gpuKey(node.nodeId, gpu);
          const holder = holders.get(key);
          if (holder !== undefined) throw new GpuAlreadyHeldError(jobId, node.nodeId, gpu, holder);
          holders.set(key, jobId);
        }
      const run: RunRow = {
        jobId,
        run: after.restarts,
        tenantId: after.job.tenantId,
        siteId: transition.allocation.siteId,
        gpus: gpuCount(transition.allocation),
        startedAtMs: transition.atMs,
        endedAtMs: null,
      };
      openRuns.set(jobId, run);
      startedRuns.push(run);
    }
    records.set(jobId, after);
    outcome.applied.push(after);
    audit.push(transition.audit);
  }

  const claims: GpuClaim[] = [];
  for (const jobId of openRuns.keys())
    for (const node of records.get(jobId)?.allocation?.nodes ?? [])
      for (const gpuIndex of node.gpus) claims.push({ nodeId: node.nodeId, gpuIndex, jobId });
  const changedIds = new Set(outcome.applied.map((r) => r.job.id));
  return {
    outcome,
    changed: [...changedIds].map((id) => records.get(id)!),
    releasedJobIds: [...released],
    claims,
    startedRuns,
    endedRuns,
    audit,
  };
}

function forEachGpu(record: JobRecord, visit: (key: string) => void): void {
  for (const node of record.allocation?.nodes ?? [])
    for (const gpu of node.gpus) visit(gpuKey(node.nodeId, gpu));
}

function gpuKey(nodeId: string, gpu: number): string {
  return `${nodeId}/${gpu}`;
}
