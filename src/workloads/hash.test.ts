import { describe, expect, it } from "vitest";
import { hashString } from "./hash.ts";

describe("hashString", () => {
  it("is stable for a seed and text, and changes with either", () => {
    expect(hashString(1, "openb-pod-0001")).toBe(hashString(1, "openb-pod-0001"));
    expect(hashString(2, "openb-pod-0001")).not.toBe(hashString(1, "openb-pod-0001"));
    expect(hashString(1, "openb-pod-0002")).not.toBe(hashString(1, "openb-pod-0001"));
  });

  it("spreads consecutive names evenly over buckets", () => {
    const buckets = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) buckets[hashString(7, `task-${i}`) % 3]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(400);
  });
});
