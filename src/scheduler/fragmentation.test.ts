// The fragmentation measure on nodes worked out by hand.
import { describe, expect, it } from "vitest";
import {
  expectedFromCounts,
  fragmentation,
  fragmentsFor,
  hosts,
  type NodeLeft,
  type TaskShape,
} from "./fragmentation.ts";

const node = (gpuMilli: number[], cpuMilli = 8000, model = 0): NodeLeft => ({
  model,
  cpuMilli,
  memoryMiB: 1024,
  gpuMilli,
});
const task = (
  gpus: number,
  gpuMilli: number,
  cpuMilli = 1000,
  models: number[] | null = null,
): TaskShape => ({
  cpuMilli,
  memoryMiB: 0,
  gpus,
  gpuMilli,
  models,
});

describe("fragmentation", () => {
  it("counts the free thousandths of GPUs too full for a task that fits the node", () => {
    const n = node([1000, 500, 0]);
    expect(fragmentsFor(n, task(1, 600))).toBe(500);
    expect(fragmentsFor(n, task(1, 400))).toBe(0);
    expect(fragmentsFor(n, task(1, 1000))).toBe(500);
  });

  it("counts every free thousandth when the task cannot run on the node at all", () => {
    const n = node([1000, 500, 0]);
    // Two whole GPUs: only one is wholly free.
    expect(hosts(n, task(2, 1000))).toBe(false);
    expect(fragmentsFor(n, task(2, 1000))).toBe(1500);
    // Not enough CPU, or the wrong GPU model.
    expect(fragmentsFor(n, task(1, 100, 9000))).toBe(1500);
    expect(fragmentsFor(n, task(1, 100, 1000, [1]))).toBe(1500);
    // A CPU-only task that fits leaves no GPU fragment; one that does not fit strands them all.
    expect(fragmentsFor(n, task(0, 0))).toBe(0);
    expect(fragmentsFor(n, task(0, 0, 9000))).toBe(1500);
  });

  it("weights each expected task by its share", () => {
    const n = node([1000, 500, 0]);
    const expected = [
      { ...task(1, 600), share: 0.25 },
      { ...task(2, 1000), share: 0.75 },
    ];
    expect(fragmentation(n, expected)).toBeCloseTo(0.25 * 500 + 0.75 * 1500);
  });

  it("keeps the most frequent shapes up to the coverage, renormalised", () => {
    const shapes = [task(1, 100), task(1, 200), task(1, 300)];
    const expected = expectedFromCounts(
      [
        { shape: shapes[0]!, count: 2 },
        { shape: shapes[1]!, count: 6 },
        { shape: shapes[2]!, count: 2 },
      ],
      0.7,
    );
    expect(expected.map((e) => [e.gpuMilli, e.share])).toEqual([
      [200, 0.75],
      [100, 0.25],
    ]);
    expect(expectedFromCounts([], 0.6)).toEqual([]);
  });
});
