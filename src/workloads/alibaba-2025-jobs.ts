// Alibaba GPU trace v2025 instances → simulator jobs, by the rules in docs/workloads.md ("Alibaba GPU trace
// 2025"). The trace's instances are long-running inference services, many of them without a start or an
// end inside the trace; Fjord's jobs always have a runtime, so a service still running at the trace's end
// runs until the replay's horizon. Every row the replay cannot use is counted by reason, and every
// instance it had to change to fit Fjord's model is counted too.
import type { Job, Tenant } from "../model/types.ts";
import type { SimJob, SkippedInput } from "../simulator/types.ts";
import { type Alibaba2025Instance, type Alibaba2025Rows, readAlibaba2025Rows } from "./alibaba-2025-rows.ts";
import type { AdjustedInput } from "./alibaba-pods.ts";
import { DEFAULT_TIER_OF_QOS, qosTenantPicker } from "./alibaba-tenants.ts";
import { ReasonCounter } from "./reason-counter.ts";
import { traceJobFields } from "./trace-job.ts";

export interface Alibaba2025Options {
  /** File name for error messages. */
  source: string;
  /** Trace second 0 is this instant (epoch ms). */
  startAtMs: number;
  /** Seeds the service → tenant assignment. */
  seed: number;
  tenants: readonly Tenant[];
  /** Tier id(s) whose tenants own the services; default the tier of latency-sensitive work (`national`). */
  tiers?: string | readonly string[];
  /**
   * Services still running at the trace's end run until this instant when it is later than the trace's
   * last timestamp (`fjord simulate` passes --to), so they hold their GPUs for the whole replay.
   */
  openEndAtMs?: number;
}

export interface Alibaba2025Result {
  /** In order of submission (the trace's creation order). */
  jobs: SimJob[];
  skipped: SkippedInput[];
  adjusted: AdjustedInput[];
  /** The trace's last timestamp (seconds from its start): where it stops seeing its services. */
  traceEndS: number;
}

export const SKIP_CPU_NODE = "CPU-node instance (role CN, gpu_request 0): Fjord schedules GPUs only";
export const SKIP_NO_GPUS = "GPU-node instance asking for no GPUs (role HN, gpu_request 0)";
export const SKIP_SCHEDULED_BEFORE_CREATED = "scheduled_time before creation_time";
export const SKIP_NEGATIVE_RUNTIME =
  "negative runtime (deletion_time before scheduled_time, or before creation_time if never scheduled)";
export const SKIP_ZERO_RUNTIME = "zero runtime (deleted the second it started)";
export const ADJUSTED_FRACTION =
  "fractional gpu_request rounded up to whole GPUs (the exact request is in label gpuRequest)";
export const ADJUSTED_BEFORE_TRACE =
  "existed before the trace started (no creation_time): submitted at second 0";
export const ADJUSTED_NEVER_SCHEDULED = "never scheduled (no scheduled_time): runtime from creation_time";
export const ADJUSTED_OPEN_END =
  "still running at the trace's end (no deletion_time): runs until the horizon";

/** Every instance is latency-sensitive: the priority the 2023 reader gives its LS tasks. */
const LS_PRIORITY = 2;
const TRACE_LABEL = "alibaba-gpu-2025";

/** Parses and converts an instance list; throws InputError for malformed CSV or a header that does not fit. */
export function parseAlibaba2025(csvText: string, options: Alibaba2025Options): Alibaba2025Result {
  return alibaba2025ToJobs(readAlibaba2025Rows(csvText, options.source), options);
}

export function alibaba2025ToJobs(rows: Alibaba2025Rows, options: Alibaba2025Options): Alibaba2025Result {
  const tenantOf = qosTenantPicker(options.tenants, options.seed, {
    ...DEFAULT_TIER_OF_QOS,
    LS: options.tiers ?? DEFAULT_TIER_OF_QOS.LS,
  });
  const skipped = new ReasonCounter();
  const adjusted = new ReasonCounter();
  for (const { reason, line } of rows.rejected) skipped.add(reason, line);
  const traceEndS = lastTimestampS(rows.instances);
  const openEndS =
    options.openEndAtMs === undefined
      ? traceEndS
      : Math.max(traceEndS, (options.openEndAtMs - options.startAtMs) / 1000);
  const jobs: SimJob[] = [];
  for (const instance of rows.instances) {
    const { line, creationS, scheduledS, deletionS } = instance;
    if (instance.gpus === 0) {
      if (instance.role === "CN") skipped.add(SKIP_CPU_NODE);
      else skipped.add(SKIP_NO_GPUS, line);
      continue;
    }
    if (creationS !== null && scheduledS !== null && scheduledS < creationS) {
      skipped.add(SKIP_SCHEDULED_BEFORE_CREATED, line);
      continue;
    }
    const runtimeS = (deletionS ?? openEndS) - (scheduledS ?? creationS ?? 0);
    if (runtimeS < 0) {
      skipped.add(SKIP_NEGATIVE_RUNTIME, line);
      continue;
    }
    if (runtimeS === 0) {
      skipped.add(SKIP_ZERO_RUNTIME, line);
      continue;
    }
    if (!Number.isInteger(instance.gpus)) adjusted.add(ADJUSTED_FRACTION);
    if (creationS === null) adjusted.add(ADJUSTED_BEFORE_TRACE);
    else if (scheduledS === null) adjusted.add(ADJUSTED_NEVER_SCHEDULED);
    if (deletionS === null) adjusted.add(ADJUSTED_OPEN_END);
    // All instances of a service go to one tenant: a service has one owner.
    const tenantId = tenantOf(instance.app, "LS");
    jobs.push({ job: instanceJob(instance, runtimeS, tenantId, options.startAtMs), runtimeS });
  }
  // Stable: instances created in the same second keep their trace order.
  jobs.sort((a, b) => a.job.submittedAtMs - b.job.submittedAtMs);
  return { jobs, skipped: skipped.list(), adjusted: adjusted.list(), traceEndS };
}

function instanceJob(
  instance: Alibaba2025Instance,
  runtimeS: number,
  tenantId: string,
  startAtMs: number,
): Job {
  // Fixed keys only: the trace's text goes into values, never into keys.
  const labels: Record<string, string> = {
    trace: TRACE_LABEL,
    role: instance.role,
    app: instance.app,
    gpuRequest: String(instance.gpus),
    rdmaPercent: String(instance.rdmaPercent),
  };
  if (instance.maxPerNode !== null) labels.maxInstancePerNode = String(instance.maxPerNode);
  if (instance.deletionS === null) labels.openEnded = "true";
  return {
    id: instance.id,
    tenantId,
    name: instance.id,
    // An instance is one pod on one node; Fjord allocates whole GPUs, so a fraction is rounded up.
    shape: { kind: "gang", nodes: 1, gpusPerNode: Math.ceil(instance.gpus) },
    // The trace names no GPU model.
    gpuModels: null,
    ...traceJobFields(runtimeS),
    priority: LS_PRIORITY,
    labels,
    submittedAtMs: startAtMs + Math.round((instance.creationS ?? 0) * 1000),
  };
}

/** The latest time any valid row names, CPU-node instances included: the trace's own end. */
function lastTimestampS(instances: readonly Alibaba2025Instance[]): number {
  let lastS = 0;
  for (const { creationS, scheduledS, deletionS } of instances) {
    lastS = Math.max(lastS, creationS ?? 0, scheduledS ?? 0, deletionS ?? 0);
  }
  return lastS;
}
