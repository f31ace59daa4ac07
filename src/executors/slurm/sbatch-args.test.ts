import { describe, expect, it } from "vitest";
import { job } from "../../../test/support/build.ts";
import { jobEnvironment, type SbatchTarget, sbatchArgs } from "./sbatch-args.ts";

const TARGET: SbatchTarget = {
  partition: "fjord",
  nodeName: (id) => id.slice("s/".length),
  gpusOnNode: () => 8,
  scriptPath: "/tmp/run-job.sh",
};
const COMMAND = { argv: ["python", "train.py", "--lr", "$(rm -rf /)"], workDir: "/scratch/a" };

describe("the sbatch call of a start decision", () => {
  it("pins the job to the chosen nodes and GPU count and passes its argv untouched", () => {
    const j = job("t1", { id: "job_1", limitS: 90 });
    const allocation = {
      siteId: "s",
      nodes: [
        { nodeId: "s/n01", gpus: [0, 1] },
        { nodeId: "s/n02", gpus: [4, 5] },
      ],
    };
    expect(sbatchArgs(j, allocation, 1000, COMMAND, TARGET)).toEqual([
      "--parsable",
      "--job-name=fjord-job_1",
      "--comment=fjord-run:1000",
      "--partition=fjord",
      "--nodelist=n01,n02",
      "--nodes=2",
      "--gres=gpu:2",
      "--time=2",
      "--no-requeue",
      "--chdir=/scratch/a",
      "--export=ALL",
      "/tmp/run-job.sh",
      "python",
      "train.py",
      "--lr",
      "$(rm -rf /)",
    ]);
  });

  it("asks for whole nodes exclusively", () => {
    const allocation = { siteId: "s", nodes: [{ nodeId: "s/n01", gpus: [0, 1, 2, 3, 4, 5, 6, 7] }] };
    const args = sbatchArgs(job("t1"), allocation, 1000, COMMAND, TARGET);
    expect(args).toContain("--exclusive");
    expect(args).toContain("--gres=gpu:8");
  });

  it("refuses what Slurm cannot express: different GPU counts per node, no command, a relative workDir", () => {
    const uneven = {
      siteId: "s",
      nodes: [
        { nodeId: "s/n01", gpus: [0] },
        { nodeId: "s/n02", gpus: [0, 1] },
      ],
    };
    expect(() => sbatchArgs(job("t1"), uneven, 0, COMMAND, TARGET)).toThrow(/one GPU count per node/);
    const one = { siteId: "s", nodes: [{ nodeId: "s/n01", gpus: [0] }] };
    expect(() => sbatchArgs(job("t1"), one, 0, { ...COMMAND, argv: [] }, TARGET)).toThrow(/no command/);
    expect(() => sbatchArgs(job("t1"), one, 0, { ...COMMAND, workDir: "a" }, TARGET)).toThrow(/absolute/);
  });

  it("gives the job only its own environment, and the cluster Fjord chose", () => {
    const env = jobEnvironment(
      { ...COMMAND, env: { HF_HOME: "/data", SLURM_CONF: "/elsewhere" } },
      "/etc/c.conf",
    );
    expect(env).toEqual({
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HF_HOME: "/data",
      SLURM_CONF: "/etc/c.conf",
    });
    expect(() => jobEnvironment({ ...COMMAND, env: { "A=B": "x" } }, "/c")).toThrow(/not valid/);
  });
});
