import { describe, expect, it } from "vitest";
import { job, T0 } from "../../test/support/build.ts";
import type { Holding } from "./holding.ts";
import { lostGpuS, type PricedHolding, victimOrder } from "./victim-order.ts";

function priced(id: string, lost: number, tier: number, startedAtMs: number): PricedHolding {
  const holding: Holding = {
    handle: 0,
    job: { ...job("t"), id },
    pool: 0,
    tier,
    nodes: [0],
    masks: [0b1111],
    gpus: 4,
    gpuMilli: 0,
    startedAtMs,
    limitEndAtMs: startedAtMs + 3_600_000,
    estimatedEndAtMs: startedAtMs + 3_600_000,
    startedInPass: -1,
    live: true,
  };
  return { holding, lostGpuS: lost };
}

describe("victimOrder: cheapest victim first", () => {
  it.each([
    {
      rule: "1. least work lost first",
      victims: [priced("a", 900, 2, T0), priced("b", 100, 1, T0 - 9)],
      want: ["b", "a"],
    },
    {
      rule: "2. on equal loss, the lowest tier first",
      victims: [priced("a", 100, 1, T0), priced("b", 100, 2, T0 - 9)],
      want: ["b", "a"],
    },
    {
      rule: "3. then the youngest job first",
      victims: [priced("a", 100, 2, T0 - 60_000), priced("b", 100, 2, T0)],
      want: ["b", "a"],
    },
    {
      rule: "4. then by job id, so the order is total",
      victims: [priced("b", 100, 2, T0), priced("a", 100, 2, T0)],
      want: ["a", "b"],
    },
  ])("$rule", ({ victims, want }) => {
    expect([...victims].sort(victimOrder).map((v) => v.holding.job.id)).toEqual(want);
  });

  it("prices a victim by the work since its last checkpoint, or since its start without checkpoints", () => {
    const h = priced("a", 0, 1, T0 - 5_400_000).holding;
    expect(lostGpuS({ ...h, job: { ...h.job, checkpointIntervalS: 3600 } }, T0)).toBe(4 * 1800);
    expect(lostGpuS({ ...h, job: { ...h.job, checkpointIntervalS: null } }, T0)).toBe(4 * 5400);
  });
});
