// A pool's release order, kept in chunks, must always read as the running jobs by hard-limit end, then job
// id, however they came and went.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { job, T0 } from "../../test/support/build.ts";
import type { Holding } from "./holding.ts";
import { ReleaseOrder } from "./release-order.ts";

const RUNS = Math.max(50, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 5);

function holding(id: string, limitEndAtMs: number): Holding {
  return {
    handle: 0,
    job: { ...job("a"), id },
    pool: 0,
    tier: 0,
    nodes: [],
    masks: [],
    gpus: 1,
    gpuMilli: 0,
    startedAtMs: T0,
    limitEndAtMs,
    estimatedEndAtMs: limitEndAtMs,
    startedInPass: -1,
    live: true,
  };
}

const opArb = fc.oneof(
  // Few distinct ends, so ties (broken by job id) are common.
  { arbitrary: fc.record({ endS: fc.integer({ min: 0, max: 20 }) }), weight: 4 },
  { arbitrary: fc.record({ finish: fc.nat() }), weight: 3 },
  { arbitrary: fc.constant("search" as const), weight: 2 },
);

describe("release order", () => {
  it("refuses to remove a job it does not hold", () => {
    const order = new ReleaseOrder();
    order.add(holding("a", T0));
    expect(() => order.remove(holding("b", T0))).toThrow(/not in its pool's release order/);
  });

  it("lists the running jobs by limit end, then job id, whenever a search asks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(opArb, { minLength: 5, maxLength: 120, size: "max" }),
        (chunkLimit, ops) => {
          const order = new ReleaseOrder(chunkLimit);
          let live: Holding[] = [];
          let next = 0;
          for (const op of ops) {
            if (op === "search") {
              const expected = [...live].sort(
                (a, b) => a.limitEndAtMs - b.limitEndAtMs || (a.job.id < b.job.id ? -1 : 1),
              );
              expect(order.length).toBe(expected.length);
              expect(Array.from({ length: order.length }, (_, i) => order.at(i))).toEqual(expected);
            } else if ("endS" in op) {
              // Ids not in arrival order, so the merge must order ties itself.
              const h = holding(`h${(next++ * 7919) % 1000}-${next}`, T0 + op.endS * 1000);
              live.push(h);
              order.add(h);
            } else if (live.length > 0) {
              const h = live[op.finish % live.length]!;
              order.remove(h);
              live = live.filter((x) => x !== h);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
