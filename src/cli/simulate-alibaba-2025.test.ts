// `fjord simulate --workload alibaba-2025:<file>` end to end, in-process: the made-up fixture in the 2025
// trace's format replayed on the small facility, every row accounted for, and the run re-verified by --check.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fjordInProcess as fjord } from "../../test/support/cli.ts";
import { SKIP_CPU_NODE } from "../workloads/alibaba-2025-jobs.ts";

const FIXTURE = "workloads/alibaba-gpu-2025/made-up-instances.csv";

interface ResultsDocument {
  inputs: { workload: string };
  runs: {
    jobs: { jobId: string; runs: { endAtMs: number }[] }[];
    simulation: { jobs: number; skipped: { reason: string; count: number }[] };
    metrics: { overall: { jobsSubmitted: number; jobsCompleted: number } };
  }[];
}

const outDir = () => mkdtempSync(join(tmpdir(), "fjord-simulate-2025-"));
/** `fjord simulate` of a workload on the small facility under the default policy. */
const simulate = (workload: string, out: string, ...more: string[]) =>
  fjord(
    "simulate",
    ...more,
    "--facility",
    "facilities/small-two-sites.yaml",
    "--policy",
    "policies/default.yaml",
    "--workload",
    workload,
    "--out",
    out,
    "--no-progress",
  );

describe("fjord simulate --workload alibaba-2025:<file>", () => {
  it("replays the trace's instances as jobs, counts the CPU-node ones, and passes --check", async () => {
    const out = outDir();
    const run = await simulate(`alibaba-2025:${FIXTURE}`, out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as ResultsDocument;
    expect(doc.inputs.workload).toBe(`alibaba-2025:${FIXTURE}`);
    const [replay] = doc.runs;
    // 15 rows: 10 GPU instances become jobs, 5 CPU-node instances are skipped and counted.
    expect(replay!.simulation.jobs).toBe(10);
    expect(replay!.simulation.skipped).toEqual([{ reason: SKIP_CPU_NODE, count: 5 }]);
    expect(replay!.metrics.overall.jobsSubmitted).toBe(10);
    expect(replay!.metrics.overall.jobsCompleted).toBe(10);

    const check = await fjord("simulate", "--check", join(out, "results.json"));
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("no violations");
  });

  it("runs the services still up at the trace's end until --to when it is later", async () => {
    const out = outDir();
    const to = "2026-01-05T00:00:00Z";
    expect((await simulate(`alibaba-2025:${FIXTURE}`, out, "--to", to)).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as ResultsDocument;
    const endOf = (id: string) => doc.runs[0]!.jobs.find((j) => j.jobId === id)!.runs.at(-1)!.endAtMs;
    // instance_0 existed before the trace and has no end; instance_2 was deleted at 151,200 s.
    expect(endOf("instance_0")).toBe(Date.parse(to));
    expect(endOf("instance_2")).toBe(Date.parse("2026-01-01T00:00:00Z") + 151_200_000);
  });

  it("names a missing column of a file that is not the 2025 trace", async () => {
    const run = await simulate(
      "alibaba-2025:workloads/alibaba-gpu-2023/openb_pod_list_multigpu50.csv",
      outDir(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("instance_sn: column is missing");
  });

  it("refuses the prefix without a file", async () => {
    const run = await simulate("alibaba-2025:", outDir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--workload: alibaba-2025 needs the trace file");
  });
});
