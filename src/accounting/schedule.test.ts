import { describe, expect, it } from "vitest";
import { job } from "../../test/support/build.ts";
import type { SimulationResult } from "../simulator/types.ts";
import { scheduleOfSimulation } from "./schedule.ts";

const T0 = Date.parse("2026-03-01T00:00:00Z");

describe("scheduleOfSimulation", () => {
  it("keeps every job that ran, with its runs and its workload labels, and leaves out jobs that never started", () => {
    const result: SimulationResult = {
      fromMs: T0,
      toMs: T0 + 86_400_000,
      seed: 1,
      samples: [],
      skipped: [],
      lostToFailuresGpuS: 0,
      lostToPreemptionGpuS: 0,
      events: 0,
      passes: 0,
      jobs: [
        {
          jobId: "ran",
          tenantId: "aurora-labs",
          tierId: "national",
          gpus: 8,
          submittedAtMs: T0,
          runtimeS: 3600,
          deadlineAtMs: null,
          completedAtMs: T0 + 7_200_000,
          runs: [
            {
              startAtMs: T0,
              endAtMs: T0 + 1_800_000,
              siteId: "s",
              gpus: 8,
              gpuModel: "GB300",
              wholeNodes: [],
              partNodes: [],
              end: "preempted",
              lostGpuS: 100,
            },
            {
              startAtMs: T0 + 3_600_000,
              endAtMs: T0 + 7_200_000,
              siteId: "s",
              gpus: 8,
              gpuModel: "GB300",
              wholeNodes: [],
              partNodes: [],
              end: "completed",
              lostGpuS: 0,
            },
          ],
        },
        {
          jobId: "waited",
          tenantId: "sisu-ai",
          tierId: "global",
          gpus: 4,
          submittedAtMs: T0,
          runtimeS: 3600,
          deadlineAtMs: null,
          completedAtMs: null,
          runs: [],
        },
      ],
    };
    const ran = job("aurora-labs", { id: "ran", gpus: 8, labels: { class: "research" } });
    const schedule = scheduleOfSimulation(result, [{ job: ran, runtimeS: 3600 }]);
    expect(schedule).toEqual({
      fromMs: T0,
      toMs: T0 + 86_400_000,
      jobs: [
        {
          jobId: "ran",
          tenantId: "aurora-labs",
          tierId: "national",
          labels: { class: "research" },
          runs: [
            { siteId: "s", startAtMs: T0, endAtMs: T0 + 1_800_000, gpus: 8 },
            { siteId: "s", startAtMs: T0 + 3_600_000, endAtMs: T0 + 7_200_000, gpus: 8 },
          ],
        },
      ],
    });
  });
});
