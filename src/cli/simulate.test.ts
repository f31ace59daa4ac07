// `fjord simulate` end to end, in-process: the real Alibaba trace replayed in full, the synthetic tier mix
// with a policy comparison, byte-identical results.json for the same inputs, and bad options.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fjordInProcess as fjord } from "../../test/support/cli.ts";

const TRACE = "workloads/alibaba-gpu-2023";

interface ResultsDocument {
  runs: {
    label: string;
    simulation: { jobs: number; skipped: { reason: string; count: number }[]; from: string };
    metrics: {
      overall: { jobsSubmitted: number; jobsCompleted: number; neverStarted: number; utilisation: number };
      tiers: { tierId: string; jobsSubmitted: number }[];
    };
  }[];
}

const outDir = () => mkdtempSync(join(tmpdir(), "fjord-simulate-"));
const readResults = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as ResultsDocument;

describe("fjord simulate", () => {
  it("replays the whole Alibaba default trace on its own node list, against the FIFO baseline", async () => {
    const out = outDir();
    const run = await fjord(
      "simulate",
      "--facility",
      `${TRACE}/openb_node_list_gpu_node.csv`,
      "--policy",
      "policies/default.yaml",
      "--workload",
      `${TRACE}/openb_pod_list_default.csv`,
      "--compare",
      "fifo-easy",
      "--out",
      out,
      "--no-progress",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = readResults(out);
    expect(doc.runs.map((r) => r.label)).toEqual(["default", "fifo-easy"]);
    for (const r of doc.runs) {
      // 8,152 tasks: 1,088 CPU-only and 1 with no runtime are skipped and counted (docs/workloads.md).
      expect(r.simulation.jobs).toBe(7063);
      expect(r.simulation.skipped.map((s) => s.count).sort((a, b) => a - b)).toEqual([1, 1088]);
      expect(r.metrics.overall.jobsCompleted).toBe(7063);
      expect(r.metrics.overall.utilisation).toBeGreaterThan(0);
      // The baseline's records are handed back under the real tiers.
      expect(r.metrics.tiers.map((t) => t.jobsSubmitted)).toEqual([4011, 6, 3046]);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("default vs fifo-easy");
    expect(html).toContain("CPU-only task");
    expect(run.stdout).toContain(`wrote ${join(out, "results.json")}`);
  });

  it("writes byte-identical results.json for the same inputs and seed, and other results for another seed", async () => {
    const args = (seed: string, out: string) => [
      "simulate",
      "--facility",
      "facilities/stargate-norway.yaml",
      "--policy",
      "policies/default.yaml",
      "--workload",
      "synthetic:0.05",
      "--from",
      "2026-12-01T00:00:00Z",
      "--to",
      "2026-12-04T00:00:00Z",
      "--seed",
      seed,
      "--compare",
      "fifo-easy",
      "--out",
      out,
      "--no-progress",
    ];
    const [a, b, c] = [outDir(), outDir(), outDir()];
    for (const [seed, dir] of [
      ["7", a],
      ["7", b],
      ["8", c],
    ] as const)
      expect((await fjord(...args(seed, dir))).code).toBe(0);
    const bytes = (dir: string) => readFileSync(join(dir, "results.json"), "utf8");
    expect(bytes(b)).toBe(bytes(a));
    expect(bytes(c)).not.toBe(bytes(a));
    expect(readFileSync(join(b, "report.html"), "utf8")).toBe(readFileSync(join(a, "report.html"), "utf8"));
    const doc = readResults(a);
    expect(doc.runs[0]!.simulation.from).toBe("2026-12-01T00:00Z");
    expect(doc.runs[0]!.metrics.overall.jobsSubmitted).toBeGreaterThan(100);
    // Synthetic jobs ask only for GPU models every tenant may use: the tenant-owned H100 site is not one.
    expect(doc.runs.map((r) => r.simulation.skipped)).toEqual([[], []]);
  });

  it("fails nodes at the given MTBF and counts the work lost, only with an end to the period", async () => {
    const out = outDir();
    const common = ["--policy", "policies/default.yaml", "--out", out, "--no-progress", "--mtbf", "2000h"];
    const run = await fjord(
      "simulate",
      "--facility",
      "facilities/stargate-norway.yaml",
      "--workload",
      "synthetic:0.05",
      "--from",
      "2026-12-01T00:00:00Z",
      "--to",
      "2026-12-03T00:00:00Z",
      ...common,
    );
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      runs: { metrics: { overall: { gpuHoursLostToFailures: number } } }[];
    };
    expect(doc.runs[0]!.metrics.overall.gpuHoursLostToFailures).toBeGreaterThan(0);

    const open = await fjord(
      "simulate",
      "--facility",
      `${TRACE}/openb_node_list_gpu_node.csv`,
      "--workload",
      `${TRACE}/openb_pod_list_default.csv`,
      ...common,
    );
    expect(open.code).toBe(2);
    expect(open.stderr).toContain("--mtbf: node failures need --to");
  });

  it.each([
    [["--seed", "-1"], "--seed: must be a whole number"],
    [["--workload", "synthetic:0"], "--workload: synthetic scale must be a positive number"],
    [["--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z"], "--to: must be after --from"],
    [["--from", "yesterday"], "--from:"],
    [["--workload", "jobs.txt"], "jobs.txt"],
    [["--compare", "no-such-policy.yaml"], "no-such-policy.yaml"],
    [["--mtbf", "often"], `--mtbf: "often" is not a duration`],
  ])("refuses bad input %j with exit code 2 and a message naming it", async (extra, message) => {
    const base: Record<string, string> = {
      "--facility": "facilities/stargate-norway.yaml",
      "--policy": "policies/default.yaml",
      "--workload": "synthetic:0.01",
      "--out": outDir(),
      "--to": "2026-01-02T00:00:00Z",
    };
    for (let k = 0; k < extra.length; k += 2) base[extra[k]!] = extra[k + 1]!;
    const run = await fjord("simulate", ...Object.entries(base).flat(), "--no-progress");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("refuses a job whose gpuUtilisation label is not a share, since every run is accounted", async () => {
    const out = outDir();
    const workload = join(out, "jobs.jsonl");
    writeFileSync(
      workload,
      '{"tenant":"aurora-labs","gpus":4,"estimatedRuntime":"1h","labels":{"gpuUtilisation":"high"}}\n',
    );
    const run = await fjord(
      "simulate",
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
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${workload}: jobs[0].labels.gpuUtilisation: must be a share from 0 to 1`);
  });

  describe("with deferral", () => {
    /** Carbon intensity on 1–2 December 2026: 400 g/kWh, except 50 g/kWh from 00:00 to 06:00 on the 2nd. */
    function nightIsClean(dir: string): string {
      const path = join(dir, "signals.csv");
      const from = Date.parse("2026-12-01T00:00:00Z");
      const rows = Array.from({ length: 48 }, (_, h) => {
        const carbon = h >= 24 && h < 30 ? 50 : 400;
        return `${new Date(from + h * 3_600_000).toISOString()},2,${carbon},60`;
      });
      writeFileSync(
        path,
        `time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh\n${rows.join("\n")}\n`,
      );
      return path;
    }

    const args = (out: string, signals: string) => [
      "simulate",
      "--facility",
      "facilities/small-two-sites.yaml",
      "--policy",
      "policies/deferral.yaml",
      "--compare",
      "policies/default.yaml",
      "--workload",
      "workloads/deferrable-jobs.jsonl",
      "--signals",
      signals,
      "--out",
      out,
      "--no-progress",
    ];

    it("reports lower CO2e for the policy that defers flexible jobs into clean hours, keeping every deadline", async () => {
      const out = outDir();
      const run = await fjord(...args(out, nightIsClean(out)));
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const doc = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
        runs: {
          label: string;
          footprint: {
            co2eLocationKg: number;
            energyCostEur: number;
            deadlineJobs: number;
            deadlinesMissed: number;
          };
        }[];
      };
      const [deferral, plain] = doc.runs;
      expect(doc.runs.map((r) => r.label)).toEqual(["deferral", "default"]);
      expect(deferral!.footprint.co2eLocationKg).toBeLessThan(0.5 * plain!.footprint.co2eLocationKg);
      expect(deferral!.footprint.deadlineJobs).toBe(8);
      expect(deferral!.footprint.deadlinesMissed).toBe(0);
      expect(plain!.footprint.deadlinesMissed).toBe(0);
      expect(readFileSync(join(out, "report.html"), "utf8")).toContain("CO2e of jobs, location-based (kg)");
      expect(run.stdout).toMatch(
        /deferral: .*\n {2}CO2e [\d.,]+ kg \(location-based\), .*deadlines met 8\/8/,
      );
    });

    it("refuses signals that do not cover the hours deferral looks at, naming --signals", async () => {
      const out = outDir();
      const path = join(out, "short.csv");
      writeFileSync(
        path,
        "time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh\n2026-12-01T00:00:00Z,2,400,60\n",
      );
      const run = await fjord(...args(out, path));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--signals");
      expect(run.stderr).toContain("deferral needs the hours its jobs could wait through");
    });
  });
});
