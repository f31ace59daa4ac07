import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { parseRunningYaml, runningFromDocument } from "./parse-running.ts";

const STARTED = "2026-12-01T10:00:00Z";

function entry(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job: { id: "job-x", tenant: "alpha", nodes: 2, gpusPerNode: 4, estimatedRuntime: "2h" },
    startedAt: STARTED,
    allocation: {
      site: "no-a",
      nodes: [
        { node: "no-a/h-r001-n01", gpus: [3, 2, 1, 0] },
        { node: "no-a/h-r001-n02", gpus: [0, 1, 2, 3] },
      ],
    },
    ...extra,
  };
}

function problems(doc: unknown): string[] {
  return issueLines(catchInputError(() => runningFromDocument(doc, "running.yaml")));
}

describe("runningFromDocument", () => {
  it("reads jobs with the jobs-file fields, their start and their GPUs (indices sorted)", () => {
    const [r] = runningFromDocument({ running: [entry()] }, "running.yaml");
    expect(r).toMatchObject({
      job: {
        id: "job-x",
        tenantId: "alpha",
        shape: { kind: "gang", nodes: 2, gpusPerNode: 4 },
        estimatedRuntimeS: 7200,
        limitS: 10800,
      },
      startedAtMs: Date.parse(STARTED),
      allocation: {
        siteId: "no-a",
        nodes: [
          { nodeId: "no-a/h-r001-n01", gpus: [0, 1, 2, 3] },
          { nodeId: "no-a/h-r001-n02", gpus: [0, 1, 2, 3] },
        ],
      },
    });
  });

  it("takes the start as the submission time when the job gives none", () => {
    const [r] = runningFromDocument({ running: [entry()] }, "running.yaml");
    expect(r!.job.submittedAtMs).toBe(Date.parse(STARTED));
  });

  it("accepts an empty list", () => {
    expect(runningFromDocument({ running: [] }, "running.yaml")).toEqual([]);
  });

  it("reports job-field problems at their path inside the entry, as the jobs file does", () => {
    expect(
      problems({
        running: [entry({ job: { id: "job-x", tenant: "alpha", gpus: 0, estimatedRuntime: "2h" } })],
      }),
    ).toEqual(["running[0].job.gpus: must be a positive integer"]);
  });

  it("requires an id on every running job, and ids unique", () => {
    const noId = entry({ job: { tenant: "alpha", gpus: 8, estimatedRuntime: "2h" } });
    expect(problems({ running: [noId] })).toEqual(["running[0].job.id: is required for a running job"]);
    expect(problems({ running: [entry(), entry()] })).toEqual([
      "running[1].job.id: duplicate job id 'job-x' (first used at running[0].job.id)",
    ]);
  });

  it("rejects GPUs or nodes listed twice, and empty allocations", () => {
    const twice = entry({
      allocation: {
        site: "no-a",
        nodes: [
          { node: "n1", gpus: [0, 0] },
          { node: "n1", gpus: [1] },
        ],
      },
    });
    expect(problems({ running: [twice] })).toEqual([
      "running[0].allocation.nodes[0].gpus[1]: GPU 0 is listed twice",
    ]);
    const nodeTwice = entry({
      allocation: {
        site: "no-a",
        nodes: [
          { node: "n1", gpus: [0] },
          { node: "n1", gpus: [1] },
        ],
      },
    });
    expect(problems({ running: [nodeTwice] })).toEqual([
      "running[0].allocation.nodes[1].node: node n1 is already listed at nodes[0]; list all its GPUs there",
    ]);
    expect(problems({ running: [entry({ allocation: { site: "no-a", nodes: [] } })] })).toEqual([
      "running[0].allocation.nodes: must list at least one node",
    ]);
  });

  it("rejects a missing start, a zoneless start and unknown keys", () => {
    const { startedAt: _omitted, ...noStart } = entry();
    expect(problems({ running: [noStart] })).toEqual(["running[0].startedAt: is required"]);
    expect(problems({ running: [entry({ startedAt: "2026-12-01T10:00:00" })] })).toEqual([
      "running[0].startedAt: must be an ISO 8601 timestamp with Z or an offset, like 2026-12-01T00:00:00Z",
    ]);
    expect(problems({ running: [entry({ started: STARTED })] })).toEqual([
      "running[0].started: is not a known key here (known keys: job, startedAt, allocation)",
    ]);
  });

  it("wants a mapping with a running list", () => {
    expect(catchInputError(() => runningFromDocument([entry()], "running.yaml")).message).toBe(
      "running.yaml: must be a mapping with a `running:` list",
    );
    expect(problems({ jobs: [] })).toEqual([
      "running: is required",
      "jobs: is not a known key here (known keys: running)",
    ]);
  });
});

describe("parseRunningYaml", () => {
  it("points problems at their YAML line", () => {
    const text = [
      "running:",
      "  - job: { id: job-x, tenant: alpha, gpus: 4, estimatedRuntime: 2h }",
      "    startedAt: yesterday",
      "    allocation: { site: no-a, nodes: [{ node: n1, gpus: [0, 1, 2, 3] }] }",
    ].join("\n");
    const err = catchInputError(() => parseRunningYaml(text, "running.yaml"));
    expect(err.message).toBe(
      "running.yaml: running[0].startedAt: must be an ISO 8601 timestamp with Z or an offset, " +
        "like 2026-12-01T00:00:00Z (line 3)",
    );
  });

  it("reads JSON too", () => {
    const text = JSON.stringify({ running: [entry()] });
    expect(parseRunningYaml(text, "running.json").map((r) => r.job.id)).toEqual(["job-x"]);
  });
});
