import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { loadJobsFile } from "./load-jobs-file.ts";
import { jobsFromDocument, parseJobsYaml } from "./parse-jobs.ts";

const NOW_MS = Date.parse("2026-12-01T12:00:00Z");
const defaults = { nowMs: NOW_MS };

type JobDoc = Record<string, unknown>;

function gang(extra: JobDoc = {}): JobDoc {
  return { tenant: "aurora-labs", nodes: 16, gpusPerNode: 4, estimatedRuntime: "36h", ...extra };
}

function problems(jobs: JobDoc[]): string[] {
  return issueLines(catchInputError(() => jobsFromDocument({ jobs }, "jobs.yaml", defaults)));
}

describe("jobsFromDocument", () => {
  it("reads a full job into the model's Job", () => {
    const [job] = jobsFromDocument(
      {
        jobs: [
          gang({
            id: "job-aurora-pretrain-001",
            name: "pretrain-7b",
            gpuModel: "GB300",
            limit: "48h",
            priority: 3,
            residency: ["EEA"],
            maxLatency: { region: "nordics", ms: 20 },
            checkpointInterval: "1h",
            notBefore: "2026-12-01T00:00:00Z",
            deadline: "2026-12-03T00:00:00+01:00",
            topology: "network-block",
            labels: { project: "llm" },
            submittedAt: "2026-11-29T08:00:00Z",
          }),
        ],
      },
      "jobs.yaml",
      defaults,
    );
    expect(job).toEqual({
      id: "job-aurora-pretrain-001",
      tenantId: "aurora-labs",
      name: "pretrain-7b",
      shape: { kind: "gang", nodes: 16, gpusPerNode: 4 },
      gpuModels: ["GB300"],
      estimatedRuntimeS: 129_600,
      limitS: 172_800,
      priority: 3,
      residency: ["EEA"],
      maxLatency: { region: "nordics", ms: 20 },
      checkpointIntervalS: 3_600,
      notBeforeAtMs: Date.parse("2026-12-01T00:00:00Z"),
      deadlineAtMs: Date.parse("2026-12-02T23:00:00Z"),
      topology: "network-block",
      labels: { project: "llm" },
      submittedAtMs: Date.parse("2026-11-29T08:00:00Z"),
    });
  });

  it("fills in defaults: positional id, name = id, limit 1.5 × estimate rounded up, submitted now", () => {
    const jobs = jobsFromDocument(
      { jobs: [gang(), { tenant: "t", gpus: 3, estimatedRuntime: 3 }] },
      "j",
      defaults,
    );
    expect(jobs.map((j) => [j.id, j.name, j.limitS, j.submittedAtMs])).toEqual([
      ["job-0001", "job-0001", 194_400, NOW_MS],
      ["job-0002", "job-0002", 5, NOW_MS],
    ]);
    expect(jobs[1]).toMatchObject({
      shape: { kind: "gpus", gpus: 3 },
      gpuModels: null,
      priority: 0,
      residency: null,
      maxLatency: null,
      checkpointIntervalS: null,
      notBeforeAtMs: null,
      deadlineAtMs: null,
      topology: "auto",
      labels: {},
    });
  });

  it("accepts a bare list of jobs as well as a `jobs:` mapping, and a list of GPU models", () => {
    const jobs = jobsFromDocument([gang({ gpuModel: ["GB300", "H100"] })], "j", defaults);
    expect(jobs[0]?.gpuModels).toEqual(["GB300", "H100"]);
  });

  it("rejects a job that gives both a gang and a GPU count, and explains the rule", () => {
    expect(problems([gang(), gang({ gpus: 8 })])).toEqual([
      "jobs[1].gpus: give either nodes with gpusPerNode (an all-or-nothing gang) or gpus (a GPU count), not both",
    ]);
  });

  it("rejects label keys that are not plain words", () => {
    expect(problems([gang({ labels: { "team a": "y", "-x": "z", "team.a/b-c_d": "ok" } })])).toEqual([
      `jobs[0].labels["team a"]: must be a label key: letters, digits, '.', '_', '/' or '-', starting with a letter or digit`,
      `jobs[0].labels.-x: must be a label key: letters, digits, '.', '_', '/' or '-', starting with a letter or digit`,
    ]);
  });

  it("rejects a job with no size at all", () => {
    expect(problems([{ tenant: "t", estimatedRuntime: "1h" }])).toEqual([
      "jobs[0]: needs a size: nodes with gpusPerNode (an all-or-nothing gang) or gpus (a GPU count)",
    ]);
  });

  it("requires gpusPerNode with nodes, and nodes with gpusPerNode", () => {
    expect(problems([{ tenant: "t", nodes: 2, estimatedRuntime: "1h" }])).toEqual([
      "jobs[0].gpusPerNode: is required with nodes (GPUs on each node)",
    ]);
    expect(problems([{ tenant: "t", gpusPerNode: 8, estimatedRuntime: "1h" }])).toEqual([
      "jobs[0].nodes: is required with gpusPerNode; for a plain GPU count use gpus instead",
    ]);
  });

  it("rejects non-positive sizes", () => {
    expect(problems([gang({ nodes: 0 }), { tenant: "t", gpus: -2, estimatedRuntime: "1h" }])).toEqual([
      "jobs[0].nodes: must be a positive integer",
      "jobs[1].gpus: must be a positive integer",
    ]);
  });

  it("rejects a limit shorter than the estimated runtime", () => {
    expect(problems([gang(), gang(), gang(), gang({ limit: "30h" })])).toEqual([
      "jobs[3].limit: must be at least estimatedRuntime (1d6h < 1d12h): the job would always be stopped before it is expected to finish",
    ]);
  });

  it("rejects a deadline before notBefore", () => {
    expect(problems([gang({ notBefore: "2026-12-02T00:00:00Z", deadline: "2026-12-01T00:00:00Z" })])).toEqual(
      ["jobs[0].deadline: must not be before notBefore (2026-12-02T00:00:00.000Z)"],
    );
  });

  it("rejects timestamps without a zone, impossible dates and numbers", () => {
    const rule = "must be an ISO 8601 timestamp with Z or an offset, like 2026-12-01T00:00:00Z";
    expect(
      problems([
        gang({ notBefore: "2026-12-01T00:00:00" }),
        gang({ deadline: "2026-02-30T00:00:00Z" }),
        gang({ submittedAt: 1_796_083_200_000 }),
      ]),
    ).toEqual([`jobs[0].notBefore: ${rule}`, `jobs[1].deadline: ${rule}`, `jobs[2].submittedAt: ${rule}`]);
  });

  it("rejects durations that are not durations, or zero where a job needs time", () => {
    expect(problems([gang({ estimatedRuntime: "soon" }), gang({ checkpointInterval: 0 })])).toEqual([
      'jobs[0].estimatedRuntime: "soon" is not a duration; use a number with a unit s, m, h, d or w (like 90s, 36h or 1h30m), or a plain number of seconds',
      "jobs[1].checkpointInterval: must be longer than 0",
    ]);
  });

  it("rejects duplicate job ids, including one that repeats a default id", () => {
    expect(problems([gang({ id: "a" }), gang({ id: "a" }), gang(), gang({ id: "job-0003" })])).toEqual([
      "jobs[1].id: duplicate job id 'a' (first used at jobs[0].id)",
      "jobs[3].id: duplicate job id 'job-0003' (first used at jobs[2])",
    ]);
  });

  it("rejects unknown keys at their path", () => {
    expect(problems([gang({ gpu_model: "GB300" })])).toEqual([
      expect.stringMatching(
        /^jobs\[0\]\.gpu_model: is not a known key here \(known keys: id, tenant, name, nodes/,
      ),
    ]);
  });

  it("rejects an unknown topology, an empty residency list and label values that are not text", () => {
    expect(problems([gang({ topology: "rack", residency: [], labels: { version: 2 } })])).toEqual([
      "jobs[0].residency: must list at least one jurisdiction; leave residency out to allow any site",
      'jobs[0].topology: must be one of auto, nvlink-domain, network-block, site, not "rack"',
      'jobs[0].labels.version: must be a text value; quote it, like "2"',
    ]);
  });

  it("rejects a document that is neither a list nor a jobs mapping", () => {
    expect(issueLines(catchInputError(() => jobsFromDocument("jobs", "j", defaults)))).toEqual([
      ": must be a list of jobs, or a mapping with a `jobs:` list",
    ]);
  });

  it("accepts an empty queue", () => {
    expect(jobsFromDocument({ jobs: [] }, "j", defaults)).toEqual([]);
  });
});

describe("parseJobsYaml and loadJobsFile", () => {
  it("points an error in a bare-list file at its path as jobs[i] and at its YAML line", () => {
    const err = catchInputError(() => loadJobsFile("test/fixtures/jobs-bare-list.yaml", defaults));
    expect(err.message).toBe(
      "test/fixtures/jobs-bare-list.yaml: jobs[1].limit: must be at least estimatedRuntime (1h30m < 2h): " +
        "the job would always be stopped before it is expected to finish (line 8)",
    );
  });

  it("reads timestamps written unquoted in YAML", () => {
    const jobs = parseJobsYaml(
      "jobs:\n  - { tenant: t, gpus: 1, estimatedRuntime: 1h, notBefore: 2026-12-01T00:00:00Z }\n",
      "j.yaml",
      defaults,
    );
    expect(jobs[0]?.notBeforeAtMs).toBe(Date.parse("2026-12-01T00:00:00Z"));
  });

  it("loads the demo workload: 10–20 jobs over every tenant tier, with unique ids", () => {
    const jobs = loadJobsFile("workloads/demo-jobs.yaml", defaults);
    expect(jobs.length).toBeGreaterThanOrEqual(10);
    expect(jobs.length).toBeLessThanOrEqual(20);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    expect(new Set(jobs.map((j) => j.shape.kind))).toEqual(new Set(["gang", "gpus"]));
  });
});
