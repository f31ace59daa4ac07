// A job's GPU demand expressed for one pool: so many whole nodes plus so many nodes with at least
// `partialGpus` free, inside one NVLink domain, one network block or anywhere in the site.

import { shapeMilli } from "../model/job-shape.ts";
import type { JobShape, TopologyRequirement } from "../model/types.ts";
import type { TopologyScope } from "./decisions.ts";

export { totalGpus } from "../model/job-shape.ts";

export const DOMAIN = 0;
export const BLOCK = 1;
export const SITE = 2;
export type Level = typeof DOMAIN | typeof BLOCK | typeof SITE;

const LEVEL_SCOPE: TopologyScope[] = ["nvlink-domain", "network-block", "site"];

export interface PlacementRequest {
  whole: number;
  partial: number;
  partialGpus: number;
  gpus: number;
  level: Level;
  /** A share of one GPU, in thousandths: one shared GPU (shared-gpus.ts). 0 = whole GPUs. */
  gpuMilli: number;
}

export interface PoolLimits {
  gpusPerNode: number;
  maxDomainGpus: number;
  maxBlockGpus: number;
  gpuCount: number;
}

/** Where a request needs its room: one node when it takes one, else its level. */
export function scopeOf(req: PlacementRequest): TopologyScope {
  return req.whole + req.partial === 1 ? "node" : LEVEL_SCOPE[req.level]!;
}

/** GPUs of the largest node among the pools: what decides whether a GPU-count job must stay on one node. */
export function largestNodeGpus(pools: readonly PoolLimits[]): number {
  let largest = 0;
  for (const pool of pools) largest = Math.max(largest, pool.gpusPerNode);
  return largest;
}

/**
 * The request for a job in a pool, or null when the job can never fit there. `largestNodeGpus` is the
 * largest node among all the pools the job may use (see largestNodeGpus).
 */
export function requestFor(
  shape: JobShape,
  topology: TopologyRequirement,
  pool: PoolLimits,
  largestNodeGpus: number,
): PlacementRequest | null {
  // A share takes part of one GPU: which GPU, and whether the pool shares GPUs at all, is the caller's.
  if (shape.kind === "share" || shape.kind === "mig")
    return { whole: 0, partial: 1, partialGpus: 1, gpus: 1, level: DOMAIN, gpuMilli: shapeMilli(shape) };
  const gpn = pool.gpusPerNode;
  // A GPU-count job that one allowed node can hold is one process on one node, as a pod is: it never
  // spreads over smaller nodes. A job that may spread says so with an explicit nodes × gpusPerNode gang.
  // Where one NVLink domain spans several nodes (an NVL72 rack), its nodes talk as one node's GPUs do:
  // there such a job may take several nodes of one domain.
  const oneNode = shape.kind === "gpus" && shape.gpus > gpn && shape.gpus <= largestNodeGpus;
  if (oneNode && !(pool.maxDomainGpus > gpn && shape.gpus <= pool.maxDomainGpus)) return null;
  let whole: number;
  let partial: number;
  let partialGpus: number;
  if (shape.kind === "gang") {
    if (shape.gpusPerNode > gpn) return null;
    const isWhole = shape.gpusPerNode === gpn;
    whole = isWhole ? shape.nodes : 0;
    partial = isWhole ? 0 : shape.nodes;
    partialGpus = isWhole ? 0 : shape.gpusPerNode;
  } else {
    whole = Math.floor(shape.gpus / gpn);
    const rest = shape.gpus % gpn;
    partial = rest > 0 ? 1 : 0;
    partialGpus = rest;
  }
  const gpus = whole * gpn + partial * partialGpus;
  // A level fits when it has both the GPUs and the nodes: a 2 × 2 gang needs two nodes even where one
  // 4-GPU node has the GPUs. A pool's domains and blocks hold nodes of its one type, so nodes = GPUs / gpn.
  const nodes = whole + partial;
  const fits = (capacityGpus: number) => gpus <= capacityGpus && nodes * gpn <= capacityGpus;
  if (!fits(pool.gpuCount)) return null;
  const fitting: Level = fits(pool.maxDomainGpus) ? DOMAIN : fits(pool.maxBlockGpus) ? BLOCK : SITE;
  const asked: Level = oneNode
    ? DOMAIN
    : topology === "nvlink-domain"
      ? DOMAIN
      : topology === "network-block"
        ? BLOCK
        : topology === "site"
          ? SITE
          : fitting;
  // A job asking for a tighter level than its size allows can never run here.
  if (asked < fitting) return null;
  return { whole, partial, partialGpus, gpus, level: asked, gpuMilli: 0 };
}
