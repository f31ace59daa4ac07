import { describe, expect, it } from "vitest";
import { gpuIndices, parseSqueueJson } from "./slurm-job-view.ts";
import { slurmPhase } from "./slurm-states.ts";

describe("what Fjord reads of squeue --json", () => {
  it("reads the GPU indices of each node, in the order of the allocated nodes", () => {
    const text = JSON.stringify({
      jobs: [
        {
          job_id: 7,
          name: "fjord-j1",
          comment: "fjord-run:1000",
          job_state: "RUNNING",
          state_reason: "None",
          exit_code: 0,
          gres_detail: ["gpu:2(IDX:0-1)", "gpu:2(IDX:2,3)"],
          start_time: 1_796_586_191,
          end_time: 1_796_586_251,
          job_resources: { allocated_nodes: [{ nodename: "n01" }, { nodename: "n03" }] },
        },
      ],
    });
    const [view] = parseSqueueJson(text);
    expect(view).toMatchObject({
      slurmJobId: 7,
      name: "fjord-j1",
      comment: "fjord-run:1000",
      state: "RUNNING",
    });
    expect(Object.fromEntries(view!.gpusByNode)).toEqual({ n01: [0, 1], n03: [2, 3] });
  });

  it("reads typed GPUs and knows no indices when Slurm gives none", () => {
    expect(gpuIndices("gpu:h100:3(IDX:1,4-5)")).toEqual([1, 4, 5]);
    expect(gpuIndices("gpu:0(IDX:N/A)")).toEqual([]);
    expect(gpuIndices("")).toEqual([]);
  });

  it("refuses output that is not a job list, or says the controller could not be reached", () => {
    expect(() => parseSqueueJson('{"errors":[]}')).toThrow(/no job list/);
    const down = {
      jobs: [],
      errors: [{ description: "Failed when loading job information", error_number: 1 }],
    };
    expect(() => parseSqueueJson(JSON.stringify(down))).toThrow(/Failed when loading job information/);
  });
});

describe("Slurm's job states in Fjord's terms", () => {
  it("ends a job only in a final state, completed only when Slurm says COMPLETED", () => {
    expect(slurmPhase("COMPLETED")).toEqual({ phase: "ended", outcome: "completed" });
    for (const state of ["FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY", "DEADLINE"])
      expect(slurmPhase(state)).toEqual({ phase: "ended", outcome: "failed" });
    expect(slurmPhase("PENDING")).toEqual({ phase: "waiting" });
    for (const state of ["NODE_FAIL", "BOOT_FAIL", "PREEMPTED"])
      expect(slurmPhase(state)).toEqual({ phase: "ended", outcome: "interrupted" });
    for (const state of ["RUNNING", "COMPLETING", "SUSPENDED", "SOMETHING_NEW"])
      expect(slurmPhase(state)).toEqual({ phase: "running" });
  });
});
