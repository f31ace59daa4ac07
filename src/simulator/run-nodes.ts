// The nodes of a run as the simulator keeps them and results.json records them: whole nodes as ranges in
// the facility's node order, nodes held in part with their GPU indices. A gang of hundreds of whole nodes,
// placed rack by rack, is then a range or two instead of hundreds of GPU lists, which had made a year's
// results too large to write. Compacting and expanding live together so that each stays the other's inverse.
import type { PathSegment } from "../model/input-error.ts";
import type { Facility, NodeAllocation } from "../model/types.ts";
import type { NodeRange, PartNode, RunNodes } from "./types.ts";

/** The facility's nodes in order; the scheduler's compiled facility has this shape, nodeOrderOf builds it. */
export interface NodeOrder {
  nodeIds: readonly string[];
  nodeIndexById: ReadonlyMap<string, number>;
  /** GPUs of each node, by node index. */
  nodeGpus: ArrayLike<number>;
}

/** A node a run held, with its place in the facility and in the run's record. */
export interface HeldNode {
  index: number;
  nodeId: string;
  /** GPU indices: ascending (and shared, never to be changed) for a whole node, as recorded for a part. */
  gpus: readonly number[];
  /** `["wholeNodes", k]` or `["partNodes", k]`. */
  from: readonly PathSegment[];
  /** A share of its one GPU, in thousandths; absent = whole GPUs. */
  gpuMilli?: number;
}

export interface RunNodesProblem {
  /** Within the run's record, e.g. `["wholeNodes", 0, "count"]`. */
  path: PathSegment[];
  message: string;
}

export function nodeOrderOf(facility: Facility): NodeOrder {
  const gpusOfType = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  return {
    nodeIds: facility.nodes.map((n) => n.id),
    nodeIndexById: new Map(facility.nodes.map((n, i) => [n.id, i])),
    nodeGpus: facility.nodes.map((n) => gpusOfType.get(n.nodeTypeId) ?? 0),
  };
}

/**
 * Nodes holding all their GPUs become maximal ranges, the rest part nodes; both in facility order, so the
 * same placement always gives the same record. Every node must be one of the facility's.
 */
export function compactRunNodes(nodes: readonly NodeAllocation[], order: NodeOrder): RunNodes {
  const whole: number[] = [];
  const part: { index: number; node: NodeAllocation }[] = [];
  for (const node of nodes) {
    const index = order.nodeIndexById.get(node.nodeId);
    if (index === undefined) throw new Error(`compactRunNodes: unknown node ${node.nodeId}`);
    if (node.gpuMilli === undefined && holdsEveryGpu(node.gpus, order.nodeGpus[index]!)) whole.push(index);
    else part.push({ index, node });
  }
  // A placement often lists its nodes in facility order already; sorting is skipped then.
  if (!ascending(whole)) whole.sort((a, b) => a - b);
  if (!ascending(part.map((p) => p.index))) part.sort((a, b) => a.index - b.index);
  const wholeNodes: NodeRange[] = [];
  for (let k = 0; k < whole.length; ) {
    let end = k + 1;
    while (end < whole.length && whole[end] === whole[end - 1]! + 1) end++;
    wholeNodes.push({ first: order.nodeIds[whole[k]!]!, count: end - k });
    k = end;
  }
  const partNodes: PartNode[] = part.map(({ node }) =>
    node.gpuMilli === undefined
      ? { nodeId: node.nodeId, gpus: [...node.gpus] }
      : { nodeId: node.nodeId, gpus: [...node.gpus], gpuMilli: node.gpuMilli },
  );
  return { wholeNodes, partNodes };
}

/**
 * Every node of the record in facility order (a node listed twice appears twice), and what is malformed:
 * a range from an unknown node, of fewer than one node, or running past the facility's last node, and an
 * unknown part node. Malformed entries give no nodes.
 */
export function expandRunNodes(
  run: RunNodes,
  order: NodeOrder,
): { nodes: HeldNode[]; problems: RunNodesProblem[] } {
  const nodes: HeldNode[] = [];
  const problems: RunNodesProblem[] = [];
  const total = order.nodeIds.length;
  run.wholeNodes.forEach((range, k) => {
    const from = ["wholeNodes", k];
    const first = order.nodeIndexById.get(range.first);
    if (first === undefined) {
      problems.push({ path: [...from, "first"], message: `unknown node ${range.first}` });
      return;
    }
    if (!Number.isInteger(range.count) || range.count < 1) {
      problems.push({ path: [...from, "count"], message: `is ${range.count}; a range holds 1 node or more` });
      return;
    }
    if (first + range.count > total) {
      problems.push({
        path: [...from, "count"],
        message: `${range.count} nodes from ${range.first} run past the facility's last node (${total - first} from it to the end)`,
      });
      return;
    }
    for (let index = first; index < first + range.count; index++)
      nodes.push({ index, nodeId: order.nodeIds[index]!, gpus: gpuIndices(order.nodeGpus[index]!), from });
  });
  run.partNodes.forEach((part, k) => {
    const from = ["partNodes", k];
    const index = order.nodeIndexById.get(part.nodeId);
    if (index === undefined)
      problems.push({ path: [...from, "nodeId"], message: `unknown node ${part.nodeId}` });
    else if (part.gpuMilli === undefined) nodes.push({ index, nodeId: part.nodeId, gpus: part.gpus, from });
    else nodes.push({ index, nodeId: part.nodeId, gpus: part.gpus, from, gpuMilli: part.gpuMilli });
  });
  nodes.sort((a, b) => a.index - b.index);
  return { nodes, problems };
}

/** The node's GPUs, each once, in any order: allocations list them ascending, which is checked first. */
function holdsEveryGpu(gpus: readonly number[], gpusPerNode: number): boolean {
  if (gpus.length !== gpusPerNode) return false;
  let ascending = true;
  for (let i = 0; i < gpusPerNode && ascending; i++) ascending = gpus[i] === i;
  return ascending || [...gpus].sort((a, b) => a - b).every((g, i) => g === i);
}

function ascending(indices: readonly number[]): boolean {
  for (let k = 1; k < indices.length; k++) if (indices[k]! < indices[k - 1]!) return false;
  return true;
}

/** 0 … n−1, one shared frozen list per GPU count: a year's check expands millions of whole nodes. */
const allGpus: (readonly number[])[] = [];
function gpuIndices(gpusPerNode: number): readonly number[] {
  allGpus[gpusPerNode] ??= Object.freeze(Array.from({ length: gpusPerNode }, (_, i) => i));
  return allGpus[gpusPerNode]!;
}
