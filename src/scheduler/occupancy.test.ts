// Occupancy keeps each pool's largest free domain, block and node as GPUs are taken, given back, reserved
// and as nodes fail and return: the figures must always be those a count over every domain would give.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, H100 } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { Occupancy, OPEN, popcount, RAW } from "./occupancy.ts";

const RUNS = Math.max(50, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 5);

const cf = compileFacility(
  facility(
    { id: "a", racks: 4, nodesPerRack: 3, racksPerBlock: 2 },
    { id: "b", racks: 3, nodesPerRack: 1, nodeType: H100, nvlink: "node", racksPerBlock: 2 },
  ),
);
const N = cf.nodeIds.length;

const opArb = fc.record({
  kind: fc.constantFrom("take", "give", "reserve", "clear", "down", "up"),
  node: fc.integer({ min: 0, max: N - 1 }),
  mask: fc.integer({ min: 1, max: 255 }),
});

/** The five maxima of every pool and view, counted from scratch. */
function counted(occ: Occupancy) {
  return cf.pools.flatMap((pool) =>
    ([RAW, OPEN] as const).map((v) => {
      const full = (1 << pool.gpusPerNode) - 1;
      const domain = pool.domains.map((d) => {
        const masks = [...cf.domainNodes[d]!].map((i) => occ.usable(i, v));
        return {
          free: masks.reduce((a, m) => a + popcount(m), 0),
          freeNodes: masks.filter((m) => m === full).length,
          nodeFree: Math.max(0, ...masks.map(popcount)),
        };
      });
      const block = pool.blocks.map((b) => {
        const masks = [...cf.blockDomains[b]!].flatMap((d) =>
          [...cf.domainNodes[d]!].map((i) => occ.usable(i, v)),
        );
        return {
          free: masks.reduce((a, m) => a + popcount(m), 0),
          freeNodes: masks.filter((m) => m === full).length,
        };
      });
      return [
        Math.max(0, ...domain.map((x) => x.free)),
        Math.max(0, ...domain.map((x) => x.freeNodes)),
        Math.max(0, ...domain.map((x) => x.nodeFree)),
        Math.max(0, ...block.map((x) => x.free)),
        Math.max(0, ...block.map((x) => x.freeNodes)),
      ];
    }),
  );
}

function kept(occ: Occupancy) {
  return cf.pools.flatMap((pool) =>
    ([RAW, OPEN] as const).map((v) => [
      occ.maxDomainFree(pool.index, v),
      occ.maxDomainFreeNodes(pool.index, v),
      occ.maxNodeFree(pool.index, v),
      occ.maxBlockFree(pool.index, v),
      occ.maxBlockFreeNodes(pool.index, v),
    ]),
  );
}

describe("occupancy", () => {
  it("knows each pool's largest free domain, block and node after any sequence of changes", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60, size: "max" }), (ops) => {
        const occ = new Occupancy(cf);
        for (const { kind, node: i, mask } of ops) {
          const m = mask & ((1 << cf.nodeGpus[i]!) - 1);
          if (kind === "take") occ.take(i, occ.free[i]! & m);
          else if (kind === "give") occ.give(i, m);
          else if (kind === "reserve") occ.reserve(i, m, 0);
          else if (kind === "clear") occ.clearReservations();
          else occ.setUp(i, kind === "up");
          // Ask now and then only, so changes pile up between questions as they do between placements.
          if (mask % 3 === 0) expect(kept(occ)).toEqual(counted(occ));
        }
        expect(kept(occ)).toEqual(counted(occ));
      }),
      { numRuns: RUNS },
    );
  });
});
