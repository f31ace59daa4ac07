import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { job, T0 } from "../../test/support/build.ts";
import type { Candidate } from "./candidate.ts";
import { compareCandidates, sortCandidates } from "./queue-index.ts";

const RUNS = Math.max(50, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 10);

describe("tenant queue order", () => {
  it("sorts packed or not exactly as the comparator: priority, then submission, then id", () => {
    const entry = fc.record({
      priority: fc.integer({ min: -3, max: 3 }),
      // Few distinct times, so ties in priority and submission are common.
      submittedS: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10_000_000 })),
      fractional: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { minLength: 0, maxLength: 1500 }),
        fc.boolean(),
        (entries, anyFractional) => {
          const list: Candidate[] = entries.map((e, k) => {
            const j = job("a", {
              priority: e.priority,
              submittedAtMs: T0 + e.submittedS * 1000 + (anyFractional && e.fractional ? 0.5 : 0),
            });
            return {
              job: { ...j, id: `j${(k * 7919) % 10007}-${k}` },
              gpus: 1,
              tier: 0,
              requests: { own: [], facility: [], all: [], ownModels: [], allModels: [] },
              sizeKey: 1,
            };
          });
          const expected = [...list].sort(compareCandidates).map((c) => c.job.id);
          sortCandidates(list);
          expect(list.map((c) => c.job.id)).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
