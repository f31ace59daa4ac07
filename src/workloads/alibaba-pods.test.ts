import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { policy, tenant, tier } from "../../test/support/build.ts";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import type { Tenant } from "../model/types.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { totalGpus } from "../scheduler/request.ts";
import { schedule } from "../scheduler/schedule.ts";
import {
  ADJUSTED_NEVER_SCHEDULED,
  ADJUSTED_SHARING,
  parseAlibabaPods,
  SKIP_CPU_ONLY,
  SKIP_NO_DELETION,
  SKIP_NOT_POSITIVE,
} from "./alibaba-pods.ts";
import { loadAlibabaNodes, loadAlibabaPods } from "./load-alibaba.ts";

const FIXTURES = "test/fixtures/workloads";
const TRACES = "workloads/alibaba-gpu-2023";
const START = Date.parse("2026-01-01T00:00:00Z");
const tenants: Tenant[] = [
  tenant("nat-a", "national"),
  tenant("nat-b", "national"),
  tenant("eu-a", "nordic-european"),
  tenant("glob-a", "global"),
];
const options = { startAtMs: START, seed: 7, tenants };
const load = (file: string) => loadAlibabaPods(`${FIXTURES}/${file}`, options);
const problems = (file: string) =>
  catchInputError(() => load(file)).issues.map((i) => `line ${i.line}: ${i.path}: ${i.message}`);

describe("parseAlibabaPods on the rules fixture", () => {
  const result = load("alibaba-pods-rules.csv");
  const byId = new Map(result.jobs.map((s) => [s.job.id, s]));

  it("skips CPU-only, no-deletion and non-positive tasks, counted by reason with the first line", () => {
    expect(result.skipped).toEqual([
      { reason: SKIP_CPU_ONLY, count: 1 },
      { reason: `${SKIP_NO_DELETION}; first on line 6`, count: 1 },
      { reason: `${SKIP_NOT_POSITIVE}; first on line 7`, count: 2 },
    ]);
    expect([...byId.keys()]).toEqual(["task-whole", "task-late", "task-share", "task-pending"]);
  });

  it("takes runtime from scheduled_time, or from creation_time for tasks never scheduled", () => {
    expect(byId.get("task-whole")!.runtimeS).toBe(3540);
    expect(byId.get("task-pending")!.runtimeS).toBe(90);
    expect(result.adjusted).toContainEqual({ reason: ADJUSTED_NEVER_SCHEDULED, count: 1 });
  });

  it("keeps a GPU-sharing task's share of one GPU", () => {
    const share = byId.get("task-share")!.job;
    expect(share.shape).toEqual({ kind: "share", gpuMilli: 250 });
    expect(result.adjusted.map((a) => a.reason)).not.toContain(ADJUSTED_SHARING);
  });

  it("submits at startAtMs + creation_time and sorts by submission", () => {
    expect(result.jobs.map((s) => s.job.submittedAtMs)).toEqual(
      [0, 50, 100, 200].map((s) => START + s * 1000),
    );
  });

  it("estimates the runtime rounded up to a minute and limits at twice the estimate", () => {
    const whole = byId.get("task-whole")!.job;
    expect(whole.estimatedRuntimeS).toBe(3540);
    expect(whole.limitS).toBe(7080);
    const share = byId.get("task-share")!;
    expect(share.runtimeS).toBe(100);
    expect(share.job.estimatedRuntimeS).toBe(120);
    expect(share.job.limitS).toBe(240);
  });

  it("reads gpu_spec as the allowed GPU models, empty as any", () => {
    expect(byId.get("task-share")!.job.gpuModels).toEqual(["V100M16", "V100M32"]);
    expect(byId.get("task-pending")!.job.gpuModels).toEqual(["T4"]);
    expect(byId.get("task-whole")!.job.gpuModels).toBeNull();
    expect(byId.get("task-whole")!.job.shape).toEqual({ kind: "gang", nodes: 1, gpusPerNode: 2 });
  });

  it("maps QoS to a tier's tenant: LS national, Guaranteed nordic-european, BE and Burstable global", () => {
    expect(["nat-a", "nat-b"]).toContain(byId.get("task-whole")!.job.tenantId);
    expect(byId.get("task-pending")!.job.tenantId).toBe("eu-a");
    expect(byId.get("task-share")!.job.tenantId).toBe("glob-a");
    expect(byId.get("task-late")!.job.tenantId).toBe("glob-a");
  });

  it("orders a tenant's own jobs by QoS: Guaranteed 3, LS 2, Burstable 1, BE 0", () => {
    expect(
      ["task-pending", "task-whole", "task-late", "task-share"].map((id) => byId.get(id)!.job.priority),
    ).toEqual([3, 2, 1, 0]);
  });
});

describe("task → tenant mapping", () => {
  const text = readFileSync(`${TRACES}/openb_pod_list_default.csv`, "utf8");
  const run = (seed: number, list: Tenant[]) =>
    parseAlibabaPods(text, { source: "default.csv", startAtMs: START, seed, tenants: list }).jobs.map(
      (s) => s.job.tenantId,
    );

  it("is a seeded hash of the task name: same seed same tenants, whatever the tenant order", () => {
    expect(run(1, tenants)).toEqual(run(1, [...tenants].reverse()));
    expect(run(2, tenants)).not.toEqual(run(1, tenants));
  });

  it("spreads a tier's tasks over its tenants", () => {
    const national = run(1, tenants).filter((t) => t.startsWith("nat-"));
    const a = national.filter((t) => t === "nat-a").length / national.length;
    expect(a).toBeGreaterThan(0.45);
    expect(a).toBeLessThan(0.55);
  });

  it("falls back to any tenant when the QoS class's tier has none", () => {
    const onlyGlobal = [tenant("g1", "global"), tenant("g2", "global")];
    expect(new Set(run(1, onlyGlobal))).toEqual(new Set(["g1", "g2"]));
  });

  it("accepts several tiers for one QoS class", () => {
    const jobs = parseAlibabaPods(text, {
      source: "default.csv",
      startAtMs: START,
      seed: 1,
      tenants,
      tierOfQos: {
        LS: "national",
        Guaranteed: "nordic-european",
        Burstable: "global",
        BE: ["nordic-european", "global"],
      },
    }).jobs;
    const be = new Set(jobs.filter((s) => s.job.labels.qos === "BE").map((s) => s.job.tenantId));
    expect(be).toEqual(new Set(["eu-a", "glob-a"]));
  });
});

describe("parseAlibabaPods on the real default trace", () => {
  const path = `${TRACES}/openb_pod_list_default.csv`;
  // Expected counts, computed by a plain split loop rather than by the parser under test.
  const expected = (() => {
    const lines = readFileSync(path, "utf8").split("\n");
    const col = new Map(lines[0]!.split(",").map((name, i) => [name, i]));
    const get = (f: string[], name: string) => f[col.get(name)!]!;
    let cpu = 0;
    let noDeletion = 0;
    let notPositive = 0;
    let firstNotPositive = 0;
    let firstNoDeletion = 0;
    let sharing = 0;
    let shares = 0;
    let never = 0;
    let jobs = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === "") continue;
      const f = lines[i]!.split(",");
      if (get(f, "num_gpu") === "0") {
        cpu++;
        continue;
      }
      if (get(f, "deletion_time") === "") {
        noDeletion++;
        firstNoDeletion ||= i + 1;
        continue;
      }
      const start = get(f, "scheduled_time") === "" ? get(f, "creation_time") : get(f, "scheduled_time");
      if (Number(get(f, "deletion_time")) - Number(start) <= 0) {
        notPositive++;
        firstNotPositive ||= i + 1;
        continue;
      }
      jobs++;
      if (Number(get(f, "gpu_milli")) < 1000) {
        if (Number(get(f, "num_gpu")) > 1) sharing++;
        else shares++;
      }
      if (get(f, "scheduled_time") === "") never++;
    }
    return { cpu, noDeletion, notPositive, firstNotPositive, firstNoDeletion, sharing, shares, never, jobs };
  })();
  const policy = loadPolicyFile("policies/default.yaml");
  const result = loadAlibabaPods(path, { startAtMs: START, seed: 1, tenants: policy.tenants });

  it("produces exactly the jobs and skips a plain line count finds", () => {
    expect(result.jobs).toHaveLength(expected.jobs);
    const skipped = new Map(result.skipped.map((s) => [s.reason, s.count]));
    expect(skipped.get(SKIP_CPU_ONLY)).toBe(expected.cpu);
    expect(skipped.get(`${SKIP_NOT_POSITIVE}; first on line ${expected.firstNotPositive}`)).toBe(
      expected.notPositive,
    );
    const skippedTotal = expected.cpu + expected.noDeletion + expected.notPositive;
    expect(result.skipped.reduce((a, s) => a + s.count, 0)).toBe(skippedTotal);
    expect(result.jobs.length + skippedTotal).toBe(8152);
    const adjusted = new Map(result.adjusted.map((s) => [s.reason, s.count]));
    expect(adjusted.get(ADJUSTED_SHARING) ?? 0).toBe(expected.sharing);
    expect(result.jobs.filter((j) => j.job.shape.kind === "share")).toHaveLength(expected.shares);
    expect(expected.shares).toBeGreaterThan(3000);
    expect(adjusted.get(ADJUSTED_NEVER_SCHEDULED)).toBe(expected.never);
  });

  it("gives every job a tenant of the policy, a positive runtime and a unique id", () => {
    const ids = new Set(policy.tenants.map((t) => t.id));
    for (const { job, runtimeS } of result.jobs) {
      expect(ids.has(job.tenantId)).toBe(true);
      expect(runtimeS).toBeGreaterThan(0);
      expect(job.estimatedRuntimeS).toBeGreaterThanOrEqual(runtimeS);
    }
    expect(new Set(result.jobs.map((s) => s.job.id)).size).toBe(result.jobs.length);
  });

  it("rejects the multigpu50 sample, which has no times or QoS, naming the missing columns", () => {
    const err = catchInputError(() =>
      loadAlibabaPods(`${TRACES}/openb_pod_list_multigpu50.csv`, { startAtMs: START, seed: 1, tenants }),
    );
    expect(err.issues.map((i) => [i.path, i.line])).toEqual(
      ["gpu_spec", "qos", "pod_phase", "creation_time", "deletion_time", "scheduled_time"].map((c) => [c, 1]),
    );
  });
});

describe("parseAlibabaPods input errors", () => {
  it("names a missing column at the header line", () => {
    expect(problems("alibaba-pods-missing-column.csv")).toEqual([
      "line 1: scheduled_time: column is missing (the header has: name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, pod_phase, creation_time, deletion_time)",
    ]);
  });

  it("names an unknown column with its position", () => {
    const [p] = problems("alibaba-pods-unknown-column.csv");
    expect(p).toMatch(/^line 1: tenant: is not a known column \(column 12; known: name, cpu_milli/);
  });

  it("names the line and column of every bad cell", () => {
    expect(problems("alibaba-pods-bad-cells.csv")).toEqual([
      'line 3: num_gpu: must be a whole number from 0 to 8, not "nine"',
      'line 4: num_gpu: must be a whole number from 0 to 8, not "9"',
      'line 5: qos: must be one of LS, BE, Burstable, Guaranteed, not "Premium"',
      'line 6: creation_time: must be a number, 0 or more, not "-5"',
      "line 7: gpu_milli: must be from 1 to 1000 for a task with GPUs (num_gpu > 0), not 0",
      "line 8: name: duplicate task name 'task-a' (first on line 2)",
      `line 9: name: must be a task name usable as a job id (lower-case letters, digits, '.', '_', '-'), not "Task_G"`,
    ]);
  });

  it("names a row with the wrong number of fields", () => {
    expect(problems("alibaba-pods-ragged-row.csv")).toEqual(["line 3: : has 5 fields, the header has 11"]);
  });

  it("reports malformed CSV quoting with its line", () => {
    const err = catchInputError(() => load("alibaba-pods-bad-quote.csv"));
    expect(err.issues[0]!.message).toMatch(/^is not valid CSV: /);
    expect(err.issues[0]!.line).toBe(2);
  });

  it("reports an empty file", () => {
    const err = catchInputError(() => parseAlibabaPods("", { ...options, source: "empty.csv" }));
    expect(err.message).toBe("empty.csv: is empty; expected a header line naming the columns");
  });
});

describe("the default trace's multi-GPU tasks scheduled on its own node list", () => {
  // Each task is one pod on one node. The first pool of the node list is P100 with 2 GPUs a node: a
  // placement that spread tasks would put the trace's 4- and 8-GPU tasks on whole P100 nodes.
  const facility = compileFacility(
    loadAlibabaNodes(`${TRACES}/openb_node_list_gpu_node.csv`, {
      siteId: "openb",
      country: "CN",
      jurisdictions: ["CN"],
    }),
  );
  const jobs = loadAlibabaPods(`${TRACES}/openb_pod_list_default.csv`, options)
    .jobs.map((s) => s.job)
    .filter((j) => totalGpus(j.shape) > 2);
  const decisions = schedule({
    facility,
    policy: policy([tier("national", 0), tier("nordic-european", 0), tier("global", 0)], tenants),
    queue: jobs,
    running: [],
    usage: [],
    nowMs: Math.max(...jobs.map((j) => j.submittedAtMs)),
  });

  it("starts every task on exactly one node", () => {
    expect(decisions.start.length).toBeGreaterThan(0);
    for (const st of decisions.start) expect(st.allocation.nodes, st.jobId).toHaveLength(1);
  });
});
