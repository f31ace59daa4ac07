// The job stream of the side-by-side benchmark (slurm-side-by-side.bench.ts): jobs of the real Alibaba
// GPU trace (workloads/alibaba-gpu-2023, openb_pod_list_default.csv), scaled to the emulated cluster.
// Every 8-GPU task becomes a whole-node job (the cluster's nodes have 8 GPUs), the 2- and 4-GPU tasks and
// every k-th 1-GPU task GPU jobs; in the trace's order of creation. Runtimes keep the trace's order but are
// squeezed to 10–60 s by rank, so a run takes minutes, not months. Tiers are given round a fixed cycle
// (2 national, 4 nordic-european, 4 global in 10).
import { readFileSync } from "node:fs";
import { readAlibabaPods } from "../src/workloads/alibaba-pod-rows.ts";

export const TIERS = ["national", "nordic-european", "global"] as const;
export type TierId = (typeof TIERS)[number];

export interface StreamJob {
  name: string;
  tier: TierId;
  /** GPUs on its one node; 8 = the whole node. */
  gpus: number;
  runS: number;
  /** Its time limit, as both sides know it (Slurm's backfill plans with it). */
  limitS: number;
}

const TRACE = "workloads/alibaba-gpu-2023/openb_pod_list_default.csv";
const TIER_CYCLE: TierId[] = ["national", "nordic-european", "global", "nordic-european", "global"];
const MIN_RUN_S = 10;
const MAX_RUN_S = 60;

export function sideBySideStream(wholeNodeJobs: number, gpuJobs: number): StreamJob[] {
  const pods = readAlibabaPods(readFileSync(TRACE, "utf8"), TRACE).filter(
    (p) => p.numGpu >= 1 && p.deletionS !== null && p.deletionS > p.creationS,
  );
  const whole = pods.filter((p) => p.numGpu === 8).slice(0, wholeNodeJobs);
  const multi = pods.filter((p) => p.numGpu === 2 || p.numGpu === 4);
  const single = pods.filter((p) => p.numGpu === 1);
  const singleWanted = Math.max(0, gpuJobs - multi.length);
  const step = Math.max(1, Math.floor(single.length / Math.max(1, singleWanted)));
  const ones = single.filter((_, i) => i % step === 0).slice(0, singleWanted);
  const chosen = [...whole, ...multi.slice(0, gpuJobs), ...ones].sort((a, b) => a.creationS - b.creationS);
  const byDuration = [...chosen].sort((a, b) => a.deletionS! - a.creationS - (b.deletionS! - b.creationS));
  const rank = new Map(byDuration.map((p, i) => [p.name, i]));
  const last = Math.max(1, chosen.length - 1);
  return chosen.map((pod, i) => {
    const runS = Math.round(MIN_RUN_S + ((MAX_RUN_S - MIN_RUN_S) * rank.get(pod.name)!) / last);
    return {
      name: pod.name,
      tier: TIER_CYCLE[(i * 2) % TIER_CYCLE.length]!,
      gpus: pod.numGpu,
      runS,
      limitS: runS + 60,
    };
  });
}
