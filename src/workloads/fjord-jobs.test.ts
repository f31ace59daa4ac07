import { describe, expect, it } from "vitest";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import { PROTO_KEY_RULE } from "../model/proto-keys.ts";
import { parseFjordJobsCsv } from "./fjord-jobs-csv.ts";
import { parseFjordJobsJsonl } from "./fjord-jobs-jsonl.ts";
import { loadFjordJobsFile } from "./load-fjord-jobs.ts";

const FIXTURES = "test/fixtures/workloads";
const NOW_MS = Date.parse("2026-12-01T12:00:00Z");
const defaults = { nowMs: NOW_MS };
const load = (file: string) => loadFjordJobsFile(`${FIXTURES}/${file}`, defaults);
const problems = (file: string) =>
  catchInputError(() => load(file)).issues.map((i) => `line ${i.line}: ${i.path}: ${i.message}`);

describe("Fjord jobs files", () => {
  const csv = load("fjord-jobs.csv").jobs;

  it("read every field of the YAML job format into the model's Job, plus runtime", () => {
    expect(csv[0]).toEqual({
      job: {
        id: "pretrain-001",
        tenantId: "aurora-labs",
        name: "pretrain-7b",
        shape: { kind: "gang", nodes: 576, gpusPerNode: 4 },
        gpuModels: ["GB300"],
        estimatedRuntimeS: 259_200,
        limitS: 345_600,
        priority: 3,
        residency: ["EEA"],
        maxLatency: { region: "nordics", ms: 20 },
        checkpointIntervalS: 3600,
        notBeforeAtMs: Date.parse("2026-12-01T00:00:00Z"),
        deadlineAtMs: Date.parse("2026-12-05T23:00:00Z"),
        topology: "network-block",
        labels: { project: "llm", team: "core" },
        submittedAtMs: Date.parse("2026-11-29T08:00:00Z"),
      },
      runtimeS: 221_400,
    });
  });

  it("split CSV lists on | and leave empty cells to their defaults", () => {
    expect(csv[1]!.job).toMatchObject({
      name: "eval-002",
      shape: { kind: "gpus", gpus: 8 },
      gpuModels: ["GB300", "H100"],
      residency: ["EEA", "NO"],
      limitS: 10_800,
      priority: 0,
      maxLatency: null,
      topology: "auto",
      labels: {},
    });
  });

  it("default runtime to estimatedRuntime and submission to defaults.nowMs", () => {
    expect(csv[2]!.runtimeS).toBe(1800);
    expect(csv[2]!.job.submittedAtMs).toBe(NOW_MS);
  });

  it("give the same jobs from CSV and from JSON lines", () => {
    expect(load("fjord-jobs.jsonl").jobs).toEqual(csv);
  });

  it("name jobs without an id by their position among the file's jobs", () => {
    const text = "tenant,gpus,estimatedRuntime\na,1,1h\n\nb,2,1h\n";
    expect(parseFjordJobsCsv(text, { source: "x.csv", defaults }).jobs.map((s) => s.job.id)).toEqual([
      "job-0001",
      "job-0002",
    ]);
    const lines =
      '{"tenant":"a","gpus":1,"estimatedRuntime":"1h"}\n\n{"tenant":"b","gpus":1,"estimatedRuntime":"1h"}';
    expect(parseFjordJobsJsonl(lines, { source: "x.jsonl", defaults }).jobs.map((s) => s.job.id)).toEqual([
      "job-0001",
      "job-0002",
    ]);
  });
});

describe("Fjord jobs input errors", () => {
  it("name the file, field and line of a broken rule, counting empty lines", () => {
    const err = catchInputError(() => load("fjord-jobs-limit-below-estimate.csv"));
    expect(err.message).toBe(
      `${FIXTURES}/fjord-jobs-limit-below-estimate.csv: limit: must be at least estimatedRuntime (1h < 2h): ` +
        "the job would always be stopped before it is expected to finish (line 8)",
    );
  });

  it("name every bad CSV cell by line and column", () => {
    expect(problems("fjord-jobs-bad-cells.csv")).toEqual([
      'line 2: nodes: must be a number, not "four"',
      "line 3: runtime: must be longer than 0",
      "line 4: residency[0]: must be an upper-case jurisdiction tag like NO, EEA or GCC",
      "line 5: maxLatency.ms: is required",
      'line 6: topology: must be one of auto, nvlink-domain, network-block, site, not "rack"',
      "line 7: id: duplicate job id 'job-1' (first on line 2)",
      "line 8: : needs a size: nodes with gpusPerNode (an all-or-nothing gang) or gpus (a GPU count)",
    ]);
  });

  it("name unknown and missing CSV columns at the header", () => {
    const [unknown, emptyLabel] = problems("fjord-jobs-unknown-column.csv");
    expect(unknown).toMatch(/^line 1: walltime: is not a known column \(column 4; known: id, tenant, name,/);
    expect(unknown).toMatch(/runtime, maxLatency\.region, maxLatency\.ms, labels\.<key>\)$/);
    expect(emptyLabel).toMatch(/^line 1: \["labels\."\]: is not a known column/);
    expect(problems("fjord-jobs-missing-column.csv")).toEqual([
      "line 1: estimatedRuntime: column is missing (the header has: tenant, gpus, limit)",
    ]);
  });

  it("name every bad JSON line", () => {
    const lines = problems("fjord-jobs-bad-lines.jsonl");
    expect(lines[0]).toMatch(/^line 2: : is not valid JSON: /);
    expect(lines.slice(1)).toEqual([
      "line 3: : must be a JSON object with one job's fields, not a list",
      expect.stringMatching(/^line 4: walltime: is not a known field \(known: id, tenant, .*, runtime\)$/),
      expect.stringMatching(/^line 5: limit: must be at least estimatedRuntime \(1h < 2h\)/),
      'line 5: runtime: "-5" is negative; a duration must be 0 or more',
      "line 6: id: duplicate job id 'job-0001' (first on line 1)",
    ]);
  });

  it("refuse a __proto__ key, which would vanish, and keep labels named like other built-in properties", () => {
    const jsonl = [
      '{"tenant":"a","gpus":1,"estimatedRuntime":"1h","labels":{"__proto__":"x","constructor":"y"}}',
      '{"tenant":"a","gpus":1,"estimatedRuntime":"1h","maxLatency":{"__proto__":{"region":"eu"},"ms":5}}',
    ].join("\n");
    const fromJsonl = catchInputError(() => parseFjordJobsJsonl(jsonl, { source: "j.jsonl", defaults }));
    expect(fromJsonl.issues.map((i) => `line ${i.line}: ${i.path}: ${i.message}`)).toEqual([
      `line 1: labels.__proto__: ${PROTO_KEY_RULE}`,
      `line 2: maxLatency.__proto__: ${PROTO_KEY_RULE}`,
    ]);
    const csv = "tenant,gpus,estimatedRuntime,labels.__proto__,labels.constructor\na,1,1h,x,y\n";
    const fromCsv = catchInputError(() => parseFjordJobsCsv(csv, { source: "j.csv", defaults }));
    expect(fromCsv.issues.map((i) => `line ${i.line}: ${i.path}: ${i.message}`)).toEqual([
      `line 2: labels.__proto__: ${PROTO_KEY_RULE}`,
    ]);
    const kept = parseFjordJobsCsv("tenant,gpus,estimatedRuntime,labels.constructor\na,1,1h,y\n", {
      source: "j.csv",
      defaults,
    });
    expect(Object.entries(kept.jobs[0]!.job.labels)).toEqual([["constructor", "y"]]);
  });

  it("refuse a file whose extension names no jobs format", () => {
    const err = catchInputError(() => loadFjordJobsFile("jobs.txt", defaults));
    expect(err.message).toBe("jobs.txt: is not a jobs file Fjord reads: name it .csv, .jsonl or .ndjson");
  });

  it("stop after 1,000 problems and say so", () => {
    const text = `tenant,gpus,estimatedRuntime\n${"a,0,1h\n".repeat(5000)}`;
    const err = catchInputError(() => parseFjordJobsCsv(text, { source: "big.csv", defaults }));
    expect(err.issues).toHaveLength(1001);
    expect(err.issues.at(-1)!.message).toBe("stopped reading after 1000 problems");
  });
});
