import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, GB300, H100 } from "../../test/support/build.ts";
import type { NodeAllocation, NodeType } from "../model/types.ts";
import { compactRunNodes, expandRunNodes, nodeOrderOf } from "./run-nodes.ts";

const ONE_GPU: NodeType = { ...GB300, id: "one", gpuModel: "L4", gpusPerNode: 1 };

/** A small facility of up to three sites, each of one node type, and any nodes of it held in whole or part. */
const placementArb = fc
  .array(
    fc.record({
      racks: fc.integer({ min: 1, max: 3 }),
      nodesPerRack: fc.integer({ min: 1, max: 4 }),
      nodeType: fc.constantFrom(GB300, H100, ONE_GPU),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .chain((specs) => {
    const fac = facility(...specs.map((s, i) => ({ ...s, id: `s${i}` })));
    // Per node: -1 every GPU, 0 none, otherwise a mask of the GPUs held.
    const held = fc.oneof(fc.constant(-1), fc.constant(0), fc.integer({ min: 1, max: 255 }));
    return fc.tuple(
      fc.constant(fac),
      fc.array(held, { minLength: fac.nodes.length, maxLength: fac.nodes.length }),
    );
  })
  .map(([fac, masks]) => {
    const order = nodeOrderOf(fac);
    const nodes: NodeAllocation[] = [];
    masks.forEach((mask, i) => {
      const perNode = order.nodeGpus[i]!;
      const gpus = Array.from({ length: perNode }, (_, g) => g).filter((g) => mask === -1 || (mask >> g) & 1);
      if (gpus.length > 0) nodes.push({ nodeId: order.nodeIds[i]!, gpus });
    });
    return { order, nodes };
  });

const plain = (nodes: { nodeId: string; gpus: readonly number[] }[]) =>
  nodes.map((n) => ({ nodeId: n.nodeId, gpus: [...n.gpus] }));

describe("run nodes", () => {
  it("expands what it compacts back to the same nodes and GPUs, in facility order", () => {
    fc.assert(
      fc.property(placementArb, ({ order, nodes }) => {
        const expanded = expandRunNodes(compactRunNodes(nodes, order), order);
        expect(expanded.problems).toEqual([]);
        expect(plain(expanded.nodes)).toEqual(nodes);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes whole nodes as maximal ranges and keeps only nodes held in part as GPU lists", () => {
    fc.assert(
      fc.property(placementArb, ({ order, nodes }) => {
        const { wholeNodes, partNodes } = compactRunNodes(nodes, order);
        const starts = wholeNodes.map((r) => order.nodeIndexById.get(r.first)!);
        // Each range starts past the node after the previous one's end: adjacent ranges would be one.
        for (let k = 1; k < wholeNodes.length; k++)
          expect(starts[k]!).toBeGreaterThan(starts[k - 1]! + wholeNodes[k - 1]!.count);
        for (const p of partNodes)
          expect(p.gpus.length).toBeLessThan(order.nodeGpus[order.nodeIndexById.get(p.nodeId)!]!);
      }),
      { numRuns: 1000 },
    );
  });

  const fac = facility(
    { id: "no", racks: 2, nodesPerRack: 2 },
    { id: "nh", racks: 1, nodesPerRack: 2, nodeType: H100 },
  );
  const order = nodeOrderOf(fac);

  it("makes one range of a gang across racks, whatever order the allocation lists its nodes and GPUs in", () => {
    const gang: NodeAllocation[] = [
      { nodeId: "no/r1n0", gpus: [3, 2, 1, 0] },
      { nodeId: "no/r0n1", gpus: [0, 1, 2, 3] },
      { nodeId: "nh/r0n1", gpus: [5, 1] },
    ];
    expect(compactRunNodes(gang, order)).toEqual({
      wholeNodes: [{ first: "no/r0n1", count: 2 }],
      partNodes: [{ nodeId: "nh/r0n1", gpus: [5, 1] }],
    });
  });

  it("names a range from an unknown node, of no nodes, or past the facility's last node, and an unknown part node", () => {
    const { nodes, problems } = expandRunNodes(
      {
        wholeNodes: [
          { first: "no/r9n9", count: 1 },
          { first: "no/r0n0", count: 0 },
          { first: "nh/r0n0", count: 3 },
          { first: "no/r0n0", count: 1 },
        ],
        partNodes: [{ nodeId: "ghost", gpus: [0] }],
      },
      order,
    );
    expect(problems).toEqual([
      { path: ["wholeNodes", 0, "first"], message: "unknown node no/r9n9" },
      { path: ["wholeNodes", 1, "count"], message: "is 0; a range holds 1 node or more" },
      {
        path: ["wholeNodes", 2, "count"],
        message: "3 nodes from nh/r0n0 run past the facility's last node (2 from it to the end)",
      },
      { path: ["partNodes", 0, "nodeId"], message: "unknown node ghost" },
    ]);
    expect(plain(nodes)).toEqual([{ nodeId: "no/r0n0", gpus: [0, 1, 2, 3] }]);
  });
});
