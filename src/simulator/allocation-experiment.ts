// The allocation experiment of Weng et al. (USENIX ATC '23, §6): tasks drawn at random from a trace arrive
// one by one on an empty cluster and stay; each is placed by one rule or fails. Arrivals go on until the
// GPUs they asked for reach a share of the cluster's GPUs (1 = 100 % of its capacity); the figure is how
// many GPUs were then allocated. A rule that fragments less strands fewer GPUs and allocates more. Pure:
// the same nodes, tasks, rule and seed give the same figures.
import type { ExpectedTask, TaskShape } from "../scheduler/fragmentation.ts";
import { MILLI } from "../scheduler/fragmentation.ts";
import { type PlacementRuleName, placementRule } from "../scheduler/placement-rules.ts";
import { SharedGpuCluster, type SharedNodeSpec } from "../scheduler/shared-gpu-cluster.ts";
import { mulberry32 } from "../workloads/prng.ts";

export interface AllocationExperiment {
  nodes: readonly SharedNodeSpec[];
  /** The trace's tasks, drawn from with replacement. */
  tasks: readonly TaskShape[];
  seed: number;
  /** Arrived GPUs as a share of the cluster's GPUs at which to stop. */
  arrivedShare: number;
  /** The expected tasks the `fgd` rule is given. */
  typical: readonly ExpectedTask[];
}

export interface AllocationOutcome {
  rule: PlacementRuleName;
  totalGpus: number;
  arrivedGpus: number;
  allocatedGpus: number;
  /** Allocated GPUs / total GPUs. */
  allocationRate: number;
  unallocatedGpus: number;
  arrivedTasks: number;
  failedTasks: number;
}

export function runAllocationExperiment(
  rule: PlacementRuleName,
  experiment: AllocationExperiment,
): AllocationOutcome {
  const cluster = new SharedGpuCluster(experiment.nodes);
  const place = placementRule(rule, cluster, { typical: experiment.typical });
  const rng = mulberry32(experiment.seed);
  const { tasks } = experiment;
  const target = experiment.arrivedShare * cluster.totalGpus;
  let arrivedGpus = 0;
  let arrivedTasks = 0;
  let failedTasks = 0;
  if (tasks.some((t) => t.gpus > 0))
    while (arrivedGpus < target) {
      const task = tasks[Math.floor(rng.next() * tasks.length)]!;
      arrivedTasks++;
      arrivedGpus += (task.gpus * task.gpuMilli) / MILLI;
      const choice = place.choose(task);
      if (choice === null) failedTasks++;
      else cluster.take(task, choice);
    }
  const allocatedGpus = cluster.allocatedGpus();
  return {
    rule,
    totalGpus: cluster.totalGpus,
    arrivedGpus,
    allocatedGpus,
    allocationRate: cluster.totalGpus === 0 ? 0 : allocatedGpus / cluster.totalGpus,
    unallocatedGpus: cluster.totalGpus - allocatedGpus,
    arrivedTasks,
    failedTasks,
  };
}
