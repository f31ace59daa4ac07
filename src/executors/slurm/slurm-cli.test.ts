import { describe, expect, it } from "vitest";
import { isTransient } from "./slurm-cli.ts";
import { gresGpus } from "./slurm-site-check.ts";

describe("which Slurm client errors are worth retrying", () => {
  it("retries what a controller that is down or restarting says", () => {
    for (const said of [
      "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
      "sbatch: error: Batch job submission failed: Connection reset by peer",
      "scancel: error: Kill job error on job id 12: Socket timed out on send/recv operation",
      "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying",
      "squeue: error: Zero Bytes were transmitted or received",
    ])
      expect(isTransient(said)).toBe(true);
  });

  it("takes Slurm's refusals as final", () => {
    for (const said of [
      "sbatch: error: Batch job submission failed: Requested node configuration is not available",
      "sbatch: error: Batch job submission failed: Invalid partition name specified",
      "sbatch: error: Invalid generic resource (gres) specification",
    ])
      expect(isTransient(said)).toBe(false);
  });
});

describe("GPUs in a Slurm node's Gres", () => {
  it("counts gpu entries, typed or not, and nothing else", () => {
    expect(gresGpus("gpu:4")).toBe(4);
    expect(gresGpus("gpu:h100:8(S:0-1)")).toBe(8);
    expect(gresGpus("gpu:2,shard:8")).toBe(2);
    expect(gresGpus("(null)")).toBe(0);
  });
});
