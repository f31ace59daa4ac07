// How much of a node's free GPU capacity the jobs the facility expects could not use: the fragmentation
// measure of Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation
// Gradient Descent" (USENIX ATC '23), written for Fjord. For one expected task, a node's free GPU
// thousandths are all fragments when the task cannot run there at all (too few CPUs, memory or GPUs, or
// the wrong GPU model); when it can, only the free thousandths of GPUs too full for the task's per-GPU
// share are. A node's fragmentation is that amount averaged over the expected tasks by how often each
// comes. Placing a task so that the node's fragmentation grows least keeps the facility able to run what
// comes next; everything here is pure arithmetic on one node.

/** Thousandths of one GPU: the unit GPU shares are asked for and accounted in. */
export const MILLI = 1000;

/** A task's demand on one node. */
export interface TaskShape {
  cpuMilli: number;
  memoryMiB: number;
  /** GPUs it needs: 0 for CPU-only tasks, 1 for a share or one whole GPU, more for whole GPUs only. */
  gpus: number;
  /** Thousandths of each GPU it needs: 1–1000 with one GPU, 1000 with several, 0 without GPUs. */
  gpuMilli: number;
  /** GPU models it may run on, as model indices; null = any. */
  models: readonly number[] | null;
}

/** A kind of task the facility expects, and its share of the tasks (the shares sum to 1). */
export interface ExpectedTask extends TaskShape {
  share: number;
}

/** What one node has left. */
export interface NodeLeft {
  model: number;
  cpuMilli: number;
  memoryMiB: number;
  /** Free thousandths of each GPU (MILLI = the GPU is wholly free). */
  gpuMilli: ArrayLike<number>;
}

/** Whether the task fits the node as it is now. */
export function hosts(node: NodeLeft, task: TaskShape): boolean {
  if (node.cpuMilli < task.cpuMilli || node.memoryMiB < task.memoryMiB) return false;
  if (task.gpus === 0) return true;
  if (task.models !== null && !task.models.includes(node.model)) return false;
  const gpus = node.gpuMilli;
  if (task.gpuMilli < MILLI) {
    for (let g = 0; g < gpus.length; g++) if (gpus[g]! >= task.gpuMilli) return true;
    return false;
  }
  let whole = 0;
  for (let g = 0; g < gpus.length; g++) if (gpus[g] === MILLI && ++whole >= task.gpus) return true;
  return false;
}

/** Free GPU thousandths of the node that this task could not use. */
export function fragmentsFor(node: NodeLeft, task: TaskShape): number {
  const gpus = node.gpuMilli;
  let free = 0;
  let unusable = 0;
  for (let g = 0; g < gpus.length; g++) {
    free += gpus[g]!;
    if (gpus[g]! < task.gpuMilli) unusable += gpus[g]!;
  }
  return hosts(node, task) ? unusable : free;
}

/** The node's fragmentation: free GPU thousandths the expected tasks could not use, weighted by share. */
export function fragmentation(node: NodeLeft, expected: readonly ExpectedTask[]): number {
  let sum = 0;
  for (const task of expected) sum += task.share * fragmentsFor(node, task);
  return sum;
}

/**
 * The expected tasks from counts of what arrived: the most frequent shapes that together make up at least
 * `coverage` of the tasks, their shares renormalised to sum to 1. The paper keeps the top 60 %; rare
 * shapes add cost per decision and little information.
 */
export function expectedFromCounts(
  counts: readonly { shape: TaskShape; count: number }[],
  coverage: number,
): ExpectedTask[] {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return [];
  // Most frequent first; equal counts keep their given order, so the result is deterministic.
  const sorted = counts
    .map((c, k) => ({ ...c, k }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.k - b.k);
  const kept: typeof sorted = [];
  let covered = 0;
  for (const c of sorted) {
    if (covered >= coverage * total) break;
    kept.push(c);
    covered += c.count;
  }
  return kept.map((c) => ({ ...c.shape, share: c.count / covered }));
}
