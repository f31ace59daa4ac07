// What a job's shape asks for in GPUs: a gang's nodes × GPUs per node, a GPU count, or a share of one GPU.
import type { JobShape } from "./types.ts";

/** Thousandths of a GPU in one GPU: a share asks for fewer. */
export const GPU_MILLI = 1000;

/** The GPUs a shape asks for; a share of one GPU counts as its fraction. */
export function totalGpus(shape: JobShape): number {
  return shape.kind === "gang"
    ? shape.nodes * shape.gpusPerNode
    : shape.kind === "gpus"
      ? shape.gpus
      : shape.gpuMilli / GPU_MILLI;
}

/** The GPUs a node allocation holds: its GPU indices, or the share of its one shared GPU. */
export function heldGpus(node: { gpus: readonly number[]; gpuMilli?: number }): number {
  return node.gpuMilli === undefined ? node.gpus.length : node.gpuMilli / GPU_MILLI;
}
