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

/** Every simulation of this suite is re-verified from its results.json alone. */
async function expectChecked(dir: string): Promise<void> {
  const check = await fjord("simulate", "--check", join(dir, "results.json"));
  expect(check.stderr).toBe("");
  expect(check.code).toBe(0);
  expect(check.stdout).toContain("no violations");
}
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
    await expectChecked(out);
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
    await expectChecked(a);
    await expectChecked(c);
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
    await expectChecked(out);

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
      expect(run.stdout).toMatch(
        /\n {2}preemptions [\d,]+, 0 of them before the minimum runtime \(10(\.0)? min\)\n/,
      );
      await expectChecked(out);
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

  describe("--check", () => {
    interface AuditedRun {
      startAtMs: number;
      endAtMs: number;
      siteId: string;
      gpuModel: string;
      wholeNodes: { first: string; count: number }[];
      partNodes: { nodeId: string; gpus: number[] }[];
      end: string;
    }
    interface Audited {
      inputs: { workload: string };
      runs: { jobs: { jobId: string; submittedAtMs: number; runs: AuditedRun[] }[] }[];
    }

    /** Two 4-GPU jobs that must stay in Norway, submitted together, simulated on the Stargate facility. */
    async function simulated(): Promise<{ out: string; doc: Audited }> {
      const out = outDir();
      const job = (id: string, runtime: string) =>
        `{"id":"${id}","tenant":"fjellbit","gpus":4,"gpuModel":"GB300","estimatedRuntime":"${runtime}","limit":"3h","residency":["NO"],"submittedAt":"2026-12-01T01:00:00Z"}`;
      const workload = join(out, "jobs.jsonl");
      writeFileSync(workload, `${job("a", "2h")}\n${job("b", "1h")}\n`);
      const run = await fjord(
        "simulate",
        "--facility",
        "facilities/stargate-norway.yaml",
        "--policy",
        "policies/default.yaml",
        "--workload",
        workload,
        "--from",
        "2026-12-01T00:00:00Z",
        "--out",
        out,
        "--no-progress",
      );
      expect(run.code).toBe(0);
      return { out, doc: JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Audited };
    }

    /** Writes the edited file beside the original and checks it. */
    async function checkEdited(out: string, doc: Audited) {
      const path = join(out, "edited.json");
      writeFileSync(path, JSON.stringify(doc));
      return { path, check: await fjord("simulate", "--check", path) };
    }

    it("records where, on which GPUs and why each run ran, and passes the check", async () => {
      const { out, doc } = await simulated();
      const [a, b] = doc.runs[0]!.jobs;
      expect(a!.submittedAtMs).toBe(Date.parse("2026-12-01T01:00:00Z"));
      expect(a!.runs).toEqual([
        {
          startAtMs: Date.parse("2026-12-01T01:00:00Z"),
          endAtMs: Date.parse("2026-12-01T03:00:00Z"),
          siteId: "no-kvandal",
          gpuModel: "GB300",
          wholeNodes: [{ first: expect.stringMatching(/^no-kvandal\//), count: 1 }],
          partNodes: [],
          end: "completed",
        },
      ]);
      expect(b!.runs[0]!.wholeNodes[0]!.first).not.toBe(a!.runs[0]!.wholeNodes[0]!.first);
      const check = await fjord("simulate", "--check", join(out, "results.json"));
      expect(check.stderr).toBe("");
      expect(check.code).toBe(0);
      expect(check.stdout).toBe(
        `${join(out, "results.json")}: default: 2 jobs, 2 runs checked; no violations\n`,
      );
    });

    it("names a GPU given to two jobs at once", async () => {
      const { out, doc } = await simulated();
      const [a, b] = doc.runs[0]!.jobs;
      b!.runs[0]!.wholeNodes = a!.runs[0]!.wholeNodes;
      const { path, check } = await checkEdited(out, doc);
      expect(check.code).toBe(2);
      const node = a!.runs[0]!.wholeNodes[0]!.first;
      expect(check.stderr).toContain(
        `${path}: runs[0].jobs[1].runs[0].wholeNodes[0]: GPU ${node} #0 is over-committed: held by b from 2026-12-01T01:00:00.000Z while a holds it until 2026-12-01T03:00:00.000Z`,
      );
    });

    it("names a job started before its submission", async () => {
      const { out, doc } = await simulated();
      doc.runs[0]!.jobs[0]!.runs[0]!.startAtMs = Date.parse("2026-12-01T00:30:00Z");
      const { path, check } = await checkEdited(out, doc);
      expect(check.code).toBe(2);
      expect(check.stderr).toBe(
        `${path}: runs[0].jobs[0].runs[0].startAtMs: starts at 2026-12-01T00:30:00.000Z, before the job's submission at 2026-12-01T01:00:00.000Z\n`,
      );
    });

    it("names a job moved out of its residency", async () => {
      const { out, doc } = await simulated();
      const run = doc.runs[0]!.jobs[0]!.runs[0]!;
      run.siteId = "ae-abu-dhabi";
      run.wholeNodes = [{ first: "ae-abu-dhabi/hall-ad1-r001-n01", count: 1 }];
      const { path, check } = await checkEdited(out, doc);
      expect(check.code).toBe(2);
      expect(check.stderr).toBe(
        `${path}: runs[0].jobs[0].runs[0].siteId: site ae-abu-dhabi (AE, GCC) is outside the job's residency NO\n`,
      );
    });

    it("names a range past the facility's last node, and refuses a run recorded in the older form", async () => {
      const { out, doc } = await simulated();
      const [a, b] = doc.runs[0]!.jobs;
      a!.runs[0]!.wholeNodes[0]!.count = 100_000;
      const range = await checkEdited(out, doc);
      expect(range.check.code).toBe(2);
      expect(range.check.stderr).toMatch(
        /runs\[0\]\.jobs\[0\]\.runs\[0\]\.wholeNodes\[0\]\.count: 100000 nodes from no-kvandal\/\S+ run past the facility's last node/,
      );

      delete (b!.runs[0]! as Partial<AuditedRun>).wholeNodes;
      const older = await checkEdited(out, doc);
      expect(older.check.code).toBe(2);
      expect(older.check.stderr).toContain(
        `${older.path}: runs[0].jobs[1].runs[0].wholeNodes: is missing: the file records where runs ran in an older form`,
      );
    });

    it("takes the input files from the command line over those the file names, and refuses a file without jobs", async () => {
      const { out, doc } = await simulated();
      const elsewhere = join(out, "moved.jsonl");
      writeFileSync(elsewhere, readFileSync(doc.inputs.workload, "utf8"));
      doc.inputs.workload = join(out, "gone.jsonl");
      const { path } = await checkEdited(out, doc);
      expect((await fjord("simulate", "--check", path)).code).toBe(2);
      expect((await fjord("simulate", "--check", path, "--workload", elsewhere)).code).toBe(0);

      const old = join(out, "old.json");
      writeFileSync(old, JSON.stringify({ runs: [{ label: "default" }] }));
      const refused = await fjord("simulate", "--check", old);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `${old}: runs[0].jobs: is missing: the file does not record where jobs ran`,
      );
    });

    it("needs --facility, --policy, --workload and --out to simulate", async () => {
      const run = await fjord("simulate", "--facility", "facilities/stargate-norway.yaml");
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--policy is required (unless --check is given)");
      expect(run.stderr).toContain("--out is required (unless --check is given)");
    });
  });
});
