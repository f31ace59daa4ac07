// Nodes whose GPUs can be shared: what each node has left of its CPUs, memory and each GPU's thousandths,
// for placement rules that choose a node and the GPUs on it. A share goes on one GPU that has room for
// it; a task of whole GPUs takes only GPUs nobody holds a share of, so it never lands on a shared GPU.
import { MILLI, type NodeLeft, type TaskShape } from "./fragmentation.ts";

export interface SharedNodeSpec {
  model: number;
  cpuMilli: number;
  memoryMiB: number;
  gpus: number;
}

/** A node and the GPU indices on it a task takes. */
export interface GpuChoice {
  node: number;
  gpus: number[];
}

export class SharedGpuCluster {
  readonly size: number;
  readonly cpuLeft: Float64Array;
  readonly memoryLeft: Float64Array;
  /** Free thousandths of every GPU, node after node. */
  readonly gpuLeft: Int32Array;
  /** Changes to each node, counted so cached figures know when to recompute. */
  readonly version: Uint32Array;
  /** Each node as a NodeLeft, reading the arrays above live. */
  readonly nodes: NodeLeft[];
  readonly totalGpus: number;

  constructor(readonly specs: readonly SharedNodeSpec[]) {
    this.size = specs.length;
    this.cpuLeft = Float64Array.from(specs, (s) => s.cpuMilli);
    this.memoryLeft = Float64Array.from(specs, (s) => s.memoryMiB);
    this.totalGpus = specs.reduce((sum, s) => sum + s.gpus, 0);
    this.gpuLeft = new Int32Array(this.totalGpus).fill(MILLI);
    this.version = new Uint32Array(this.size);
    let offset = 0;
    const cluster = this;
    this.nodes = specs.map((s, n) => {
      const gpuMilli = this.gpuLeft.subarray(offset, offset + s.gpus);
      offset += s.gpus;
      return {
        model: s.model,
        get cpuMilli() {
          return cluster.cpuLeft[n]!;
        },
        get memoryMiB() {
          return cluster.memoryLeft[n]!;
        },
        gpuMilli,
      };
    });
  }

  /** Takes the task's resources on the chosen node and GPUs (the choice must fit). */
  take(task: TaskShape, choice: GpuChoice): void {
    this.apply(task, choice, -1);
  }

  /** Gives them back. */
  give(task: TaskShape, choice: GpuChoice): void {
    this.apply(task, choice, 1);
  }

  /** Allocated GPUs, in GPUs (shares counted by their thousandths). */
  allocatedGpus(): number {
    let free = 0;
    for (let k = 0; k < this.gpuLeft.length; k++) free += this.gpuLeft[k]!;
    return this.totalGpus - free / MILLI;
  }

  private apply(task: TaskShape, { node, gpus }: GpuChoice, sign: 1 | -1): void {
    this.cpuLeft[node]! += sign * task.cpuMilli;
    this.memoryLeft[node]! += sign * task.memoryMiB;
    const left = this.nodes[node]!.gpuMilli as Int32Array;
    for (const g of gpus) left[g]! += sign * task.gpuMilli;
    this.version[node]!++;
  }
}

/**
 * The distinct ways to put the task on a node that hosts it: for a share, one GPU per distinct amount left
 * (GPUs with the same room are interchangeable), lowest index first; for whole GPUs, the lowest-indexed
 * wholly free ones; for a CPU-only task, no GPU.
 */
export function gpuOptions(left: ArrayLike<number>, task: TaskShape): number[][] {
  if (task.gpus === 0) return [[]];
  if (task.gpuMilli < MILLI) {
    const options: number[][] = [];
    const seen = new Set<number>();
    for (let g = 0; g < left.length; g++) {
      const room = left[g]!;
      if (room < task.gpuMilli || seen.has(room)) continue;
      seen.add(room);
      options.push([g]);
    }
    return options;
  }
  const whole: number[] = [];
  for (let g = 0; g < left.length && whole.length < task.gpus; g++) if (left[g] === MILLI) whole.push(g);
  return whole.length === task.gpus ? [whole] : [];
}
