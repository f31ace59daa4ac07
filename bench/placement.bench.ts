// The allocation experiment of Weng et al. (USENIX ATC '23) on the openb traces, for every placement rule
// in one run: tasks drawn at random from the trace arrive on the trace's own 1,213 nodes (6,212 GPUs)
// until the GPUs they asked for equal the cluster's, and each rule's allocated share of the GPUs is
// printed — the median over FJORD_BENCH_PLACEMENT_SEEDS draws (default 5) — with its unallocated GPUs:
//   bench placement.openb_default.allocation_rate.<rule> <value> %
//   bench placement.openb_default.unallocated_gpus.<rule> <value> GPUs
// and the same for openb_multigpu50. Rules: fjord (Fjord's own), first-fit (Fjord's placement before it),
// best-fit and fgd (the paper's Fragmentation Gradient Descent, given the trace's typical tasks).
import { readFileSync } from "node:fs";
import { PLACEMENT_RULES } from "../src/scheduler/placement-rules.ts";
import { runAllocationExperiment } from "../src/simulator/allocation-experiment.ts";
import {
  readAllocationNodes,
  readAllocationTasks,
  typicalTasks,
} from "../src/workloads/alibaba-allocation-inputs.ts";
import { envInt, median, report } from "./harness.ts";

const TRACE_DIR = "workloads/alibaba-gpu-2023";
const TRACES = [
  { name: "openb_default", file: "openb_pod_list_default.csv" },
  { name: "openb_multigpu50", file: "openb_pod_list_multigpu50.csv" },
] as const;

export function placementBench(): void {
  const nodesFile = `${TRACE_DIR}/openb_node_list_gpu_node.csv`;
  const { nodes } = readAllocationNodes(readFileSync(nodesFile, "utf8"), nodesFile);
  const seeds = Math.max(1, envInt("FJORD_BENCH_PLACEMENT_SEEDS", 5));
  for (const trace of TRACES) {
    const file = `${TRACE_DIR}/${trace.file}`;
    const tasks = readAllocationTasks(readFileSync(file, "utf8"), file);
    const typical = typicalTasks(tasks);
    for (const rule of PLACEMENT_RULES) {
      const outcomes = Array.from({ length: seeds }, (_, k) =>
        runAllocationExperiment(rule, { nodes, tasks, typical, seed: k + 1, arrivedShare: 1 }),
      );
      report(
        `placement.${trace.name}.allocation_rate.${rule}`,
        100 * median(outcomes.map((o) => o.allocationRate)),
        "%",
      );
      report(
        `placement.${trace.name}.unallocated_gpus.${rule}`,
        median(outcomes.map((o) => o.unallocatedGpus)),
        "GPUs",
      );
    }
  }
}
