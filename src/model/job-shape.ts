// What a job's shape asks for in GPUs: a gang's nodes × GPUs per node, a GPU count, or a share of one GPU.
import type { JobShape } from "./types.ts";

/** Thousandths of a GPU in one GPU: a share asks for fewer. */
export const GPU_MILLI = 1000;

/** Compute slices of a MIG-partitioned GPU. */
export const MIG_SLICES = 7;

/** A MIG profile's compute slices ("3g.40gb" → 3), or null for a name that is not a profile. */
export function migSlices(profile: string): number | null {
  const m = /^([1-7])g\.[1-9][0-9]{0,3}gb$/.exec(profile);
  return m === null ? null : Number(m[1]);
}

/**
 * The thousandths of one GPU a MIG instance holds: its slices' share, rounded down, so that instances of
 * at most 7 slices in all always fit one GPU's 1000 and any set of more never does.
 */
export function migMilli(profile: string): number | null {
  const slices = migSlices(profile);
  return slices === null ? null : Math.floor((slices * GPU_MILLI) / MIG_SLICES);
}

/** The thousandths of one GPU a share or MIG instance holds; 0 for whole GPUs. */
export function shapeMilli(shape: JobShape): number {
  return shape.kind === "share" ? shape.gpuMilli : shape.kind === "mig" ? (migMilli(shape.profile) ?? 0) : 0;
}

/** The GPUs a shape asks for; a share of one GPU or a MIG instance counts as its fraction. */
export function totalGpus(shape: JobShape): number {
  return shape.kind === "gang"
    ? shape.nodes * shape.gpusPerNode
    : shape.kind === "gpus"
      ? shape.gpus
      : shapeMilli(shape) / GPU_MILLI;
}

/** The GPUs a node allocation holds: its GPU indices, or the share of its one shared GPU. */
export function heldGpus(node: { gpus: readonly number[]; gpuMilli?: number }): number {
  return node.gpuMilli === undefined ? node.gpus.length : node.gpuMilli / GPU_MILLI;
}
