// Finds exact GPUs for a request inside one pool. Best fit at every level: the tightest NVLink domain or
// network block that holds the job, and the fullest nodes inside it, so large free areas stay whole for
// large gangs (the fragmentation that strands GPUs comes from spreading small jobs over empty domains).
import type { CompiledPool } from "./compile-facility.ts";
import { type Occupancy, popcount, type View } from "./occupancy.ts";
import { BLOCK, DOMAIN, type PlacementRequest } from "./request.ts";

export interface Placement {
  pool: number;
  nodes: number[];
  masks: number[];
  /** A share of the one GPU in `masks`, in thousandths (shared-gpus.ts); absent = whole GPUs. */
  gpuMilli?: number;
}

/** Reads the GPUs of node i that a placement may use. */
export type MaskOf = (i: number) => number;

/** Lowest `count` set bits of a mask. */
export function lowestBits(mask: number, count: number): number {
  let out = 0;
  let m = mask;
  for (let k = 0; k < count; k++) {
    const bit = m & -m;
    out |= bit;
    m &= ~bit;
  }
  return out >>> 0;
}

/** Whether the nodes, with the GPUs `maskOf` allows, can hold the request. */
export function fitsNodes(
  nodes: ArrayLike<number>,
  full: number,
  req: PlacementRequest,
  maskOf: MaskOf,
): boolean {
  let whole = 0;
  let partialOnly = 0;
  for (let k = 0; k < nodes.length; k++) {
    const m = maskOf(nodes[k]!);
    if (m === full) whole++;
    else if (req.partial > 0 && popcount(m) >= req.partialGpus) partialOnly++;
  }
  return whole >= req.whole && partialOnly + (whole - req.whole) >= req.partial;
}

/**
 * Picks GPUs from nodes that fit (see fitsNodes). Partial requests take the fullest nodes that still
 * hold them; whole nodes are taken in the order given, which callers sort so used domains fill first.
 */
export function pickNodes(
  nodes: ArrayLike<number>,
  full: number,
  req: PlacementRequest,
  maskOf: MaskOf,
): { nodes: number[]; masks: number[] } {
  const wholeNodes: number[] = [];
  const partialNodes: { i: number; free: number }[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const i = nodes[k]!;
    const m = maskOf(i);
    if (m === full) wholeNodes.push(i);
    else if (req.partial > 0) {
      const c = popcount(m);
      if (c >= req.partialGpus) partialNodes.push({ i, free: c });
    }
  }
  const outNodes: number[] = [];
  const outMasks: number[] = [];
  for (let k = 0; k < req.whole; k++) {
    outNodes.push(wholeNodes[k]!);
    outMasks.push(full);
  }
  if (req.partial > 0) {
    partialNodes.sort((a, b) => a.free - b.free || a.i - b.i);
    const candidates = partialNodes.map((p) => p.i).concat(wholeNodes.slice(req.whole));
    for (let k = 0; k < req.partial; k++) {
      const i = candidates[k]!;
      outNodes.push(i);
      outMasks.push(lowestBits(maskOf(i), req.partialGpus));
    }
  }
  return { nodes: outNodes, masks: outMasks };
}

export function fullMaskOf(gpusPerNode: number): number {
  return gpusPerNode >= 32 ? 0xffffffff : ((1 << gpusPerNode) - 1) >>> 0;
}

/** Exact GPUs for the request in pool p as seen in view v, or null if none fit now. */
export function place(occ: Occupancy, pool: CompiledPool, req: PlacementRequest, v: View): Placement | null {
  const p = pool.index;
  if (occ.poolFree[v][p]! < req.gpus || occ.poolFreeNodes[v][p]! < req.whole) return null;
  if (req.partial > 0 && occ.maxNodeFree(p, v) < req.partialGpus) return null;
  const maskOf: MaskOf = occ.usableIn[v];
  const full = fullMaskOf(pool.gpusPerNode);
  const cf = occ.cf;
  if (req.level === DOMAIN) {
    if (occ.maxDomainFree(p, v) < req.gpus || occ.maxDomainFreeNodes(p, v) < req.whole) return null;
    const domFree = occ.domFree[v];
    const domFreeNodes = occ.domFreeNodes[v];
    const domMax = occ.domMaxNodeFree[v];
    let best = -1;
    let bestFree = Number.POSITIVE_INFINITY;
    for (const d of pool.domains) {
      const f = domFree[d]!;
      if (f < req.gpus || f >= bestFree || domFreeNodes[d]! < req.whole) continue;
      if (req.partial > 0 && domMax[d]! < req.partialGpus) continue;
      // Whole-node requests and single-node requests are decided by the counts alone.
      const exact = req.partial === 0 || (req.whole === 0 && req.partial === 1);
      if (!exact && !fitsNodes(cf.domainNodes[d]!, full, req, maskOf)) continue;
      best = d;
      bestFree = f;
      if (f === req.gpus) break;
    }
    if (best < 0) return null;
    return { pool: p, ...pickNodes(cf.domainNodes[best]!, full, req, maskOf) };
  }
  if (req.level === BLOCK) {
    if (occ.maxBlockFree(p, v) < req.gpus || occ.maxBlockFreeNodes(p, v) < req.whole) return null;
    const blkFree = occ.blkFree[v];
    let best = -1;
    let bestFree = Number.POSITIVE_INFINITY;
    for (const b of pool.blocks) {
      const f = blkFree[b]!;
      if (f < req.gpus || f >= bestFree || occ.blkFreeNodes[v][b]! < req.whole) continue;
      if (req.partial > 0 && !fitsNodes(nodesOfDomains(occ, cf.blockDomains[b]!, v), full, req, maskOf))
        continue;
      best = b;
      bestFree = f;
      if (f === req.gpus) break;
    }
    if (best < 0) return null;
    if (req.partial === 0) return { pool: p, ...takeWholeNodes(occ, [best], req.whole, full, maskOf, v) };
    return { pool: p, ...pickNodes(nodesOfDomains(occ, cf.blockDomains[best]!, v), full, req, maskOf) };
  }
  // Site level: span as few blocks as possible, taking the emptiest blocks first.
  const blocks = [...pool.blocks].sort((a, b) => occ.blkFree[v][b]! - occ.blkFree[v][a]! || a - b);
  if (req.partial === 0) return { pool: p, ...takeWholeNodes(occ, blocks, req.whole, full, maskOf, v) };
  const nodes: number[] = [];
  for (const b of blocks) nodes.push(...nodesOfDomains(occ, cf.blockDomains[b]!, v));
  if (!fitsNodes(nodes, full, req, maskOf)) return null;
  return { pool: p, ...pickNodes(nodes, full, req, maskOf) };
}

/** Nodes of the given domains, the domains with the fewest free GPUs first. */
function nodesOfDomains(occ: Occupancy, domains: Int32Array, v: View): number[] {
  const order = Array.from(domains).sort((a, b) => occ.domFree[v][a]! - occ.domFree[v][b]! || a - b);
  const nodes: number[] = [];
  for (const d of order) for (const i of occ.cf.domainNodes[d]!) nodes.push(i);
  return nodes;
}

/**
 * The first `count` whole free nodes of the blocks in the order given, each block's domains with the fewest
 * free GPUs first: what pickNodes takes from those nodes for a whole-node request, without listing every
 * node of a block or site. The blocks must hold that many (the callers checked the counts).
 */
function takeWholeNodes(
  occ: Occupancy,
  blocks: ArrayLike<number>,
  count: number,
  full: number,
  maskOf: MaskOf,
  v: View,
): { nodes: number[]; masks: number[] } {
  const nodes: number[] = [];
  const masks: number[] = [];
  for (let b = 0; b < blocks.length && nodes.length < count; b++) {
    const domains = occ.cf.blockDomains[blocks[b]!]!;
    const order = Array.from(domains).sort((x, y) => occ.domFree[v][x]! - occ.domFree[v][y]! || x - y);
    for (let k = 0; k < order.length && nodes.length < count; k++) {
      const domainNodes = occ.cf.domainNodes[order[k]!]!;
      for (let j = 0; j < domainNodes.length && nodes.length < count; j++) {
        const i = domainNodes[j]!;
        if (maskOf(i) === full) {
          nodes.push(i);
          masks.push(full);
        }
      }
    }
  }
  return { nodes, masks };
}
