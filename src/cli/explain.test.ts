// `fjord explain` end to end: the real binary (bin/fjord.js, through tsx) on the example files and on small
// fixtures whose decisions are worked out by hand in their comments. Each run is a process of ~0.7 s, so
// the runs go concurrently; failure paths that need no process of their own call main() in-process.
import { describe, expect, it } from "vitest";
import { fjordProcess as fjord, fjordInProcess, type CliRun as Run } from "../../test/support/cli.ts";
import { loadJobsFile } from "../queue/load-jobs-file.ts";
import type { ExplainedDecisions } from "./render/decisions-json.ts";

const DEMO = [
  "--facility",
  "facilities/stargate-norway.yaml",
  "--policy",
  "policies/default.yaml",
  "--jobs",
  "workloads/demo-jobs.yaml",
];
const FIXTURES = "test/fixtures/explain";
const TINY = [
  "--facility",
  `${FIXTURES}/facility.yaml`,
  "--policy",
  `${FIXTURES}/policy.yaml`,
  "--jobs",
  `${FIXTURES}/jobs.yaml`,
];
const at = (iso: string) => Date.parse(iso);

function parseDecisions(run: Run): ExplainedDecisions {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ExplainedDecisions;
}

describe.concurrent("fjord explain (binary)", () => {
  it("reports the demo: header with facility GPUs and now, every job, and a summary line", async () => {
    const run = await fjord("explain", ...DEMO);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Stargate Norway and partner sites: 110,344 GPUs at 3 sites .*now 2026-12-01T12:00Z$/,
    );
    expect(lines.at(-1)).toMatch(/^\d+ start, \d+ preempted, \d+ waiting$/);
    const demo = loadJobsFile("workloads/demo-jobs.yaml", { nowMs: 0 });
    for (const job of demo) expect(run.stdout).toContain(job.id);
  });

  it("prints the demo as JSON: every job once, as a start or a waiting job with its message", async () => {
    const decisions = parseDecisions(await fjord("explain", ...DEMO, "--json"));
    // --now defaults to the latest submittedAt in the demo, so the result does not depend on the clock.
    expect(decisions.nowMs).toBe(at("2026-12-01T12:00:00Z"));
    const demoIds = loadJobsFile("workloads/demo-jobs.yaml", { nowMs: 0 }).map((j) => j.id);
    const decided = [...decisions.start.map((s) => s.jobId), ...decisions.waiting.map((w) => w.jobId)];
    expect([...decided].sort()).toEqual([...demoIds].sort());
    for (const w of decisions.waiting)
      expect(w.message).toMatch(/^(waiting|reserved|never fits|never runs): /);
    // Start windows are in the input: these two cannot have started at 12:00.
    const notYet = decisions.waiting.filter((w) => w.reason.kind === "not-yet").map((w) => w.jobId);
    expect(notYet.sort()).toEqual(["job-aurora-eval-003", "job-falcon-serving-002"]);
  });

  it("decides the tiny fixture as worked out in jobs.yaml, as a readable report", async () => {
    const run = await fjord("explain", ...TINY);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "Tiny test facility: 16 GPUs at 1 site (16 facility-operated, 0 tenant-owned); no running jobs; now 2026-12-01T10:00Z",
        "",
        "Start (2)",
        "┌─────────┬────────┬──────────┬──────┬──────┬───────┐",
        "│ Job     │ Tenant │ Tier     │ GPUs │ Site │ Flags │",
        "├─────────┼────────┼──────────┼──────┼──────┼───────┤",
        "│ train-a │ alpha  │ research │    8 │ no-a │       │",
        "│ sweep-c │ beta   │ research │    4 │ no-a │       │",
        "└─────────┴────────┴──────────┴──────┴──────┴───────┘",
        "",
        "Preempt: none",
        "",
        "Waiting (1)",
        "┌─────────┬────────┬──────────┬──────┬──────────────────────────────────────────────────────────────┐",
        "│ Job     │ Tenant │ Tier     │ GPUs │ Why                                                          │",
        "├─────────┼────────┼──────────┼──────┼──────────────────────────────────────────────────────────────┤",
        "│ train-b │ alpha  │ research │   16 │ reserved: 16 GPUs at no-a from 2026-12-01T13:00Z; smaller    │",
        "│         │        │          │      │ jobs may run there only if they finish first                 │",
        "└─────────┴────────┴──────────┴──────┴──────────────────────────────────────────────────────────────┘",
        "",
        "2 start, 0 preempted, 1 waiting",
        "",
      ].join("\n"),
    );
  });

  it("decides the tiny fixture as JSON: who starts, who waits and why", async () => {
    const decisions = parseDecisions(await fjord("explain", ...TINY, "--json"));
    expect(decisions.nowMs).toBe(at("2026-12-01T10:00:00Z"));
    expect(decisions.start.map((s) => s.jobId)).toEqual(["train-a", "sweep-c"]);
    expect(decisions.preempt).toEqual([]);
    expect(decisions.waiting).toEqual([
      {
        jobId: "train-b",
        reason: { kind: "reserved", startAtMs: at("2026-12-01T13:00:00Z"), siteId: "no-a", gpus: 16 },
        estimatedStartAtMs: at("2026-12-01T13:00:00Z"),
        message:
          "reserved: 16 GPUs at no-a from 2026-12-01T13:00Z; smaller jobs may run there only if they finish first",
      },
    ]);
  });

  it("takes running jobs into account: their GPUs are taken and count against quotas", async () => {
    const decisions = parseDecisions(
      await fjord("explain", ...TINY, "--running", `${FIXTURES}/running.yaml`, "--json"),
    );
    expect(decisions.start.map((s) => [s.jobId, s.allocation.nodes.map((n) => n.nodeId)])).toEqual([
      ["train-a", ["no-a/hall-a-r002-n01", "no-a/hall-a-r002-n02"]],
    ]);
    expect(decisions.waiting.map((w) => [w.jobId, w.reason])).toEqual([
      ["sweep-c", { kind: "tenant-quota", tenantId: "beta", usedGpus: 4, quotaGpus: 4, gpus: 4 }],
      ["train-b", { kind: "reserved", startAtMs: at("2026-12-01T13:00:00Z"), siteId: "no-a", gpus: 16 }],
    ]);
  });

  it("exits 2 on an invalid policy, naming the file, the field and the line", async () => {
    const run = await fjord(
      "explain",
      ...TINY.slice(0, 2),
      "--policy",
      `${FIXTURES}/policy-bad-org-number.yaml`,
      ...TINY.slice(4),
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `${FIXTURES}/policy-bad-org-number.yaml: tenants[0].orgNumber: "931844157" is not a valid ` +
        "Norwegian organisation number: check digit should be 6, not 7 (line 11)\n",
    );
  });

  it("documents the exit codes in --help", async () => {
    const run = await fjord("explain", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--running <file>");
    expect(run.stdout).toMatch(
      /Exit codes:\n {2}0 {2}success\n {2}1 {2}unexpected error.*\n {2}2 {2}invalid input/,
    );
  });
});

describe.concurrent("fjord explain (failures, in-process)", () => {
  it("exits 2 on a --now that is not an ISO time", async () => {
    const run = await fjordInProcess("explain", ...TINY, "--now", "tomorrow");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "--now: must be an ISO 8601 timestamp with Z or an offset, like 2026-12-01T00:00:00Z\n",
    );
  });

  it("uses --now when given", async () => {
    const run = await fjordInProcess("explain", ...TINY, "--now", "2026-12-01T12:30:00+01:00", "--json");
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as ExplainedDecisions).nowMs).toBe(at("2026-12-01T11:30:00Z"));
  });

  it("exits 2 on a file that does not exist", async () => {
    const run = await fjordInProcess("explain", ...TINY.slice(0, 4), "--jobs", "no/such/jobs.yaml");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("no/such/jobs.yaml: cannot read: no such file\n");
  });

  it("exits 2 on a running job that does not match the facility, at its path in the file", async () => {
    const run = await fjordInProcess(
      "explain",
      ...TINY,
      "--running",
      `${FIXTURES}/running-unknown-node.yaml`,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${FIXTURES}/running-unknown-node.yaml: running[0].allocation.nodes[0].node: ` +
        "unknown node 'no-a/hall-a-r001-n1'\n",
    );
  });

  it("exits 2 on a bad command line, with commander's message and a pointer to --help", async () => {
    const missing = await fjordInProcess("explain", "--facility", `${FIXTURES}/facility.yaml`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--policy <file>' not specified");
    expect(missing.stderr).toContain("--help");
    const unknown = await fjordInProcess("explian");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'explian'");
  });
});
