import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newId } from "./ids.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const atMs = fc.integer({ min: 0, max: 2 ** 48 - 1 });

describe("newId", () => {
  it("is the prefix and 26 lower-case Crockford base32 characters", () => {
    expect(newId("job", Date.parse("2026-12-01T00:00:00Z"))).toMatch(/^job_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it("sorts ids by the time they were made", () => {
    fc.assert(
      fc.property(atMs, atMs, (a, b) => {
        fc.pre(a !== b);
        expect(newId("job", a) < newId("job", b)).toBe(a < b);
      }),
      { numRuns: RUNS },
    );
  });

  it("never repeats an id made at the same instant", () => {
    fc.assert(
      fc.property(atMs, (t) => {
        const ids = new Set(Array.from({ length: 50 }, () => newId("key", t)));
        expect(ids.size).toBe(50);
      }),
      { numRuns: RUNS / 10 },
    );
  });

  it("refuses a time outside what 48 bits hold", () => {
    expect(() => newId("job", -1)).toThrow(RangeError);
    expect(() => newId("job", 2 ** 48)).toThrow(RangeError);
  });
});
