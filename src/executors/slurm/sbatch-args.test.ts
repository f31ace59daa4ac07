import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { job } from "../../../test/support/build.ts";
import { batchScript, type SbatchTarget, sbatchArgs, sbatchEnvironment } from "./sbatch-args.ts";

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

  it("runs sbatch in a fixed environment, and gives the job its variables through the batch script", () => {
    // Variables sbatch would act on itself stay out of its environment.
    expect(sbatchEnvironment("/etc/c.conf")).toEqual({
      PATH: "/usr/local/bin:/usr/bin:/bin",
      SLURM_CONF: "/etc/c.conf",
    });
    const hostile = {
      QUOTED: "it's $(touch /tmp/pwned) `id` \\ \"x\"\nsecond line ';'",
      SBATCH_ARRAY_INX: "0-2",
      PATH: "/opt/tools/bin:/usr/bin:/bin",
      EMPTY: "",
    };
    const dir = mkdtempSync(join(tmpdir(), "fjord-batch-script-"));
    try {
      const script = join(dir, "run.sh");
      writeFileSync(script, batchScript({ ...COMMAND, env: hostile }), { mode: 0o700 });
      // The script as a node runs it: the job's argv after it, here a program that prints its environment.
      const printed = execFileSync("/bin/sh", [script, "/usr/bin/env", "-0"], { env: {} }).toString();
      const env = new Map(
        printed
          .split("\0")
          .filter((l) => l !== "")
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      for (const [name, value] of Object.entries(hostile)) expect(env.get(name)).toBe(value);
      expect(existsSync("/tmp/pwned")).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => batchScript({ ...COMMAND, env: { "A=B": "x" } })).toThrow(/not valid/);
    expect(() => batchScript({ ...COMMAND, env: { A: "x\u0000y" } })).toThrow(/NUL/);
  });
});
