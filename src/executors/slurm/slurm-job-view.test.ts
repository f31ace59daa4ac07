import { describe, expect, it } from "vitest";
import { expandHostList, gpuIndices, parseSqueueJson, scontrolGpusByNode } from "./slurm-job-view.ts";
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

describe("what Fjord reads of scontrol show job -d", () => {
  it("reads the GPU indices of each node from the detail lines, node groups expanded", () => {
    const text = [
      "JobId=7 JobName=fjord-j1",
      "   JobState=RUNNING Reason=None Dependency=(null)",
      "   JOB_GRES=gpu:4",
      "     Nodes=n01 CPU_IDs=1 Mem=0 GRES=gpu:1(IDX:2)",
      "     Nodes=lab-[02-03,10] CPU_IDs=0 Mem=0 GRES=gpu:h100:2(IDX:0,3)",
      "   MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0",
    ].join("\n");
    expect(Object.fromEntries(scontrolGpusByNode(text))).toEqual({
      n01: [2],
      "lab-02": [0, 3],
      "lab-03": [0, 3],
      "lab-10": [0, 3],
    });
    expect(
      scontrolGpusByNode("   JobState=COMPLETED\n     Nodes=n01 CPU_IDs=0 Mem=0 GRES=\n").get("n01"),
    ).toEqual([]);
    expect(expandHostList("gpu-a1,gpu-b[1-2],n[8-10]")).toEqual([
      "gpu-a1",
      "gpu-b1",
      "gpu-b2",
      "n8",
      "n9",
      "n10",
    ]);
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
