// A tenant's chunked queue must answer every question exactly as the plain sorted list it stands for.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { job } from "../../test/support/build.ts";
import type { Candidate } from "./candidate.ts";
import { compareCandidates } from "./queue-index.ts";
import { TenantQueue } from "./tenant-queue.ts";

const RUNS = Math.max(50, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 10);

function candidate(k: number, priority: number, sizeKey: number): Candidate {
  const j = job("a", { priority, submittedAtMs: 1_000_000 + (k % 7) * 1000 });
  return {
    job: { ...j, id: `c${String(k).padStart(4, "0")}` },
    gpus: 1,
    tier: 0,
    requests: { own: [], facility: [], all: [], ownModels: [], allModels: [] },
    sizeKey,
  };
}

const keyArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 8 },
  { arbitrary: fc.constant(Number.NEGATIVE_INFINITY), weight: 1 },
);
/** Add a new job, or remove the n-th job present (modulo the count), or load many at once. */
const opArb = fc.oneof(
  { arbitrary: fc.record({ add: fc.integer({ min: 0, max: 3 }), key: keyArb }), weight: 6 },
  { arbitrary: fc.record({ remove: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ load: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), keyArb)) }), weight: 1 },
);

describe("tenant queue", () => {
  it("holds, finds and bounds jobs exactly as a sorted list does, as jobs come and go", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.array(opArb, { minLength: 10, maxLength: 100, size: "max" }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 64 })), {
          minLength: 5,
          maxLength: 5,
        }),
        (chunkLimit, ops, queries) => {
          const q = new TenantQueue("a", compareCandidates, chunkLimit);
          let list: Candidate[] = [];
          let next = 0;
          for (const op of ops) {
            if ("add" in op) {
              const c = candidate(next++, op.add, op.key);
              q.insert(c);
              list.push(c);
              list.sort(compareCandidates);
            } else if ("remove" in op) {
              if (list.length === 0) continue;
              const c = list[op.remove % list.length]!;
              expect(q.remove(c)).toBe(true);
              expect(q.remove(c)).toBe(false);
              list = list.filter((x) => x !== c);
            } else {
              list = [...list, ...op.load.map(([priority, key]) => candidate(next++, priority, key))];
              list.sort(compareCandidates);
              q.reset([...list]);
            }
            expect(q.length).toBe(list.length);
            expect(q.toArray()).toEqual(list);
            if (list.length === 0) continue;
            expect(list.map((_, pos) => q.at(pos))).toEqual(list);
            const keys = list.map((c) => c.sizeKey);
            expect(q.minKey()).toBe(Math.min(...keys));
            expect(q.maxKey()).toBe(Math.max(...keys));
            for (const [a, b, atMost] of queries) {
              const from = a % list.length;
              const to = from + 1 + (b % (list.length - from));
              const slice = keys.slice(from, to);
              const found = slice.findIndex((k) => k <= atMost);
              expect(q.firstAtMost(from, to, atMost)).toBe(found < 0 ? to : from + found);
              expect(q.minKeyIn(from, to)).toBe(Math.min(...slice));
              expect(q.maxKeyIn(from, to)).toBe(Math.max(...slice));
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("sees a job's size after the chunk it joined had already been searched", () => {
    const q = new TenantQueue("a", compareCandidates, 2);
    for (let k = 0; k < 6; k++) q.insert(candidate(k, 0, 50));
    expect(q.firstAtMost(0, q.length, 10)).toBe(q.length);
    // A small job at the end of a full queue: positions and bounds must follow without a rebuild.
    const small = candidate(6, 0, 4);
    q.insert(small);
    expect(q.firstAtMost(0, q.length, 10)).toBe(6);
    expect(q.minKeyIn(0, q.length)).toBe(4);
    q.remove(small);
    expect(q.firstAtMost(0, q.length, 10)).toBe(q.length);
    expect(q.minKey()).toBe(50);
  });
});
