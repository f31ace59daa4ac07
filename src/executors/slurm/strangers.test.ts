import { describe, expect, it } from "vitest";
import type { SlurmJobView } from "./slurm-job-view.ts";
import { findStrangers } from "./strangers.ts";

function view(slurmJobId: number, name: string, comment: string, state = "RUNNING"): SlurmJobView {
  const base = {
    reason: "None",
    exitStatus: 0,
    nodes: ["n01"],
    gpusByNode: new Map(),
    startAtS: 1,
    endAtS: 0,
  };
  return { slurmJobId, name, comment, state, ...base };
}

describe("jobs on Fjord's partition that Fjord does not run", () => {
  it("cancels Fjord's leftovers, reports the rest as orphans, and ignores ended or stopping jobs", () => {
    const views = [
      view(1, "fjord-j1", "fjord-run:100"), // Fjord's current run
      view(2, "fjord-j1", "fjord-run:50"), // an earlier run of the same job, still running
      view(3, "train", ""), // someone's own sbatch
      view(4, "fjord-j2", "fjord-run:70", "COMPLETED"),
      view(5, "fjord-j3", "fjord-run:80"), // in its preemption grace
    ];
    const found = findStrangers(views, new Set(["fjord-j1|fjord-run:100"]), new Set([5]));
    expect(found.leftovers).toEqual([2]);
    expect(found.orphans.map((o) => o.slurmJobId)).toEqual([3]);
  });
});
