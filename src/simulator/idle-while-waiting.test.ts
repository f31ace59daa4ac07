import { describe, expect, it } from "vitest";
import { noIdleGpus } from "../scheduler/idle-causes.ts";
import { idleWhileWaiting } from "./metrics.ts";
import type { SimSample } from "./types.ts";

const H = 3_600_000;

function sample(
  atMs: number,
  strandedGpus: number,
  byCause: Partial<ReturnType<typeof noIdleGpus>> = {},
): SimSample {
  return {
    atMs,
    availableGpus: 100,
    allocatedGpus: 100 - strandedGpus,
    queuedByTier: {},
    allocatedByTier: {},
    strandedGpus,
    ...(strandedGpus > 0 ? { idleGpusByCause: { ...noIdleGpus(), ...byCause } } : {}),
  };
}

describe("GPU-hours idle while jobs waited", () => {
  it("holds each sample's idle GPUs until the next, in all and by cause", () => {
    const samples = [
      sample(0, 10, { "tenant-quota": 6, "no-fit": 4 }),
      sample(H, 0),
      sample(2 * H, 20, { reserved: 20 }),
    ];
    expect(idleWhileWaiting(samples, 0, 4 * H)).toEqual({
      gpuHours: 10 + 0 + 2 * 20,
      byCause: { ...noIdleGpus(), "tenant-quota": 6, "no-fit": 4, reserved: 40 },
    });
  });

  it("is unknown without samples", () => {
    expect(idleWhileWaiting([], 0, H)).toBeNull();
  });
});
