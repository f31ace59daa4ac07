// Alibaba GPU trace tasks → simulator jobs, by the rules in docs/workloads.md ("Alibaba GPU trace"). Every
// task the replay cannot use is counted by reason, and every task it had to change is counted too, so a
// figure computed from a replay can say exactly what it left out.
import type { Job, Tenant } from "../model/types.ts";
import type { SimJob, SkippedInput } from "../simulator/types.ts";
import { type AlibabaPod, type AlibabaQos, readAlibabaPods } from "./alibaba-pod-rows.ts";
import { DEFAULT_TIER_OF_QOS, qosTenantPicker, type TierOfQos } from "./alibaba-tenants.ts";
import { ReasonCounter } from "./reason-counter.ts";
import { traceJobFields } from "./trace-job.ts";

export interface AlibabaPodsOptions {
  /** File name for error messages. */
  source: string;
  /** Trace second 0 is this instant (epoch ms). */
  startAtMs: number;
  /** Seeds the task → tenant assignment. */
  seed: number;
  tenants: readonly Tenant[];
  /** QoS class → tier id(s); default DEFAULT_TIER_OF_QOS. */
  tierOfQos?: TierOfQos;
}

/** Tasks kept but changed to fit Fjord's model, counted by reason. */
export interface AdjustedInput {
  reason: string;
  count: number;
}

export interface AlibabaPodsResult {
  /** In order of submission (the trace's creation order). */
  jobs: SimJob[];
  skipped: SkippedInput[];
  adjusted: AdjustedInput[];
}

export const SKIP_CPU_ONLY = "CPU-only task (num_gpu 0)";
export const SKIP_NO_DELETION = "no deletion_time, so the runtime is unknown";
export const SKIP_NOT_POSITIVE =
  "runtime not positive (deletion_time ≤ scheduled_time, or ≤ creation_time for a task never scheduled)";
export const ADJUSTED_SHARING = "multi-GPU task with gpu_milli < 1000 given whole GPUs";
export const ADJUSTED_NEVER_SCHEDULED = "task never scheduled: runtime = deletion_time − creation_time";

/** Priority among a tenant's own jobs: guaranteed and latency-sensitive work first. */
const PRIORITY_OF_QOS: Readonly<Record<AlibabaQos, number>> = { Guaranteed: 3, LS: 2, Burstable: 1, BE: 0 };

/** Parses and converts a task list; throws InputError for malformed CSV, columns or cells. */
export function parseAlibabaPods(csvText: string, options: AlibabaPodsOptions): AlibabaPodsResult {
  return alibabaPodsToJobs(readAlibabaPods(csvText, options.source), options);
}

export function alibabaPodsToJobs(
  pods: readonly AlibabaPod[],
  options: AlibabaPodsOptions,
): AlibabaPodsResult {
  const tenantOf = qosTenantPicker(options.tenants, options.seed, options.tierOfQos ?? DEFAULT_TIER_OF_QOS);
  const skipped = new ReasonCounter();
  const adjusted = new ReasonCounter();
  const jobs: SimJob[] = [];
  for (const pod of pods) {
    if (pod.numGpu === 0) {
      skipped.add(SKIP_CPU_ONLY);
      continue;
    }
    if (pod.deletionS === null) {
      skipped.add(SKIP_NO_DELETION, pod.line);
      continue;
    }
    const runtimeS = pod.deletionS - (pod.scheduledS ?? pod.creationS);
    if (!(runtimeS > 0)) {
      skipped.add(SKIP_NOT_POSITIVE, pod.line);
      continue;
    }
    // A share of one GPU stays a share; the trace's multi-GPU tasks use whole GPUs.
    if (pod.gpuMilli < 1000 && pod.numGpu > 1) adjusted.add(ADJUSTED_SHARING);
    if (pod.scheduledS === null) adjusted.add(ADJUSTED_NEVER_SCHEDULED);
    jobs.push({ job: podJob(pod, runtimeS, tenantOf(pod.name, pod.qos), options.startAtMs), runtimeS });
  }
  // Stable: tasks created in the same second keep their trace order.
  jobs.sort((a, b) => a.job.submittedAtMs - b.job.submittedAtMs);
  return { jobs, skipped: skipped.list(), adjusted: adjusted.list() };
}

function podJob(pod: AlibabaPod, runtimeS: number, tenantId: string, startAtMs: number): Job {
  const labels: Record<string, string> = { trace: "alibaba-gpu-2023", qos: pod.qos, phase: pod.podPhase };
  const share = pod.numGpu === 1 && pod.gpuMilli < 1000;
  return {
    id: pod.name,
    tenantId,
    name: pod.name,
    // A task is one pod, and a pod runs on one node: a task no allowed node can hold never fits. A share
    // of one GPU runs on a GPU type that is shared.
    shape: share
      ? { kind: "share", gpuMilli: Math.max(1, pod.gpuMilli) }
      : { kind: "gang", nodes: 1, gpusPerNode: pod.numGpu },
    gpuModels: pod.gpuSpec,
    ...traceJobFields(runtimeS),
    priority: PRIORITY_OF_QOS[pod.qos],
    labels,
    submittedAtMs: startAtMs + Math.round(pod.creationS * 1000),
  };
}
