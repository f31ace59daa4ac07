import { describe, expect, it } from "vitest";
import { facility, H100, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import type { Facility, RunningJob } from "../model/types.ts";
import { checkRunning } from "./check-running.ts";

// Site a: 2 racks × 2 GB300 nodes (4 GPUs each); site b: 1 rack × 1 H100 node (8 GPUs).
const base = facility(
  { id: "a", racks: 2, nodesPerRack: 2 },
  { id: "b", racks: 1, nodesPerRack: 1, nodeType: H100, nvlink: "node" },
);
// Site a's rack 1 holds an H100 node, so a job can be made to span node types.
const mixed: Facility = {
  ...base,
  nodes: [
    ...base.nodes,
    {
      id: "a/r1n9",
      siteId: "a",
      hallId: "a/h",
      rackId: "a/r1",
      nodeTypeId: "h100",
      domainId: "a/r1n9",
      blockId: "a/b0",
      state: "up",
    },
  ],
};
const p = policy([tier("t", 8)], [tenant("alpha", "t")]);
const NOW = T0;
const context = { facility: mixed, policy: p, queue: [job("alpha", { id: "queued-1" })], nowMs: NOW };

function problems(rs: RunningJob[]): string[] {
  return issueLines(catchInputError(() => checkRunning(rs, context, "running.yaml")));
}

describe("checkRunning", () => {
  it("accepts running jobs that hold distinct GPUs of their size at one site", () => {
    const rs = [
      running(job("alpha", { id: "r1", nodes: 2, gpusPerNode: 4 }), NOW - 1000, "a", [
        ["a/r0n0", [0, 1, 2, 3]],
        ["a/r0n1", [0, 1, 2, 3]],
      ]),
      running(job("alpha", { id: "r2", gpus: 3 }), NOW, "b", [["b/r0n0", [0, 5, 7]]]),
    ];
    expect(() => checkRunning(rs, context, "running.yaml")).not.toThrow();
  });

  it("reports unknown tenants, ids also queued and starts after now", () => {
    const r = running(job("stranger", { id: "queued-1", gpus: 1 }), NOW + 60_000, "a", [["a/r0n0", [0]]]);
    expect(problems([r])).toEqual([
      "running[0].job.tenant: unknown tenant 'stranger' (known: alpha)",
      "running[0].job.id: job 'queued-1' is also in the queue; a job is either queued or running",
      "running[0].startedAt: is after now (2026-12-01T00:00:00.000Z)",
    ]);
  });

  it("reports unknown sites and nodes, nodes of another site and GPUs a node lacks", () => {
    expect(problems([running(job("alpha", { id: "r1", gpus: 1 }), NOW, "c", [["a/r0n0", [0]]])])).toEqual([
      "running[0].allocation.site: unknown site 'c' (known: a, b)",
    ]);
    const r = running(job("alpha", { id: "r1", gpus: 3 }), NOW, "a", [
      ["a/nope", [0]],
      ["b/r0n0", [0]],
      ["a/r0n0", [4]],
    ]);
    expect(problems([r])).toEqual([
      "running[0].allocation.nodes[0].node: unknown node 'a/nope'",
      "running[0].allocation.nodes[1].node: node b/r0n0 is at site b, not a",
      "running[0].allocation.nodes[2].gpus[0]: node a/r0n0 has GPUs 0 to 3, not 4",
    ]);
  });

  it("reports a job spread over two node types", () => {
    const r = running(job("alpha", { id: "r1", gpus: 5 }), NOW, "a", [
      ["a/r1n0", [0, 1, 2, 3]],
      ["a/r1n9", [0]],
    ]);
    expect(problems([r])).toEqual([
      "running[0].allocation.nodes[1].node: is a h100 node; a job's nodes are all of one node type (here gb300)",
    ]);
  });

  it("reports a GPU held by two running jobs, naming the first holder", () => {
    const r1 = running(job("alpha", { id: "r1", gpus: 2 }), NOW, "a", [["a/r0n0", [0, 1]]]);
    const r2 = running(job("alpha", { id: "r2", gpus: 2 }), NOW, "a", [["a/r0n0", [1, 2]]]);
    expect(problems([r1, r2])).toEqual([
      "running[1].allocation.nodes[0].gpus[0]: GPU 1 on node a/r0n0 is already held by running[0] (r1)",
    ]);
  });

  it("reports allocations that do not match the job's size", () => {
    const count = running(job("alpha", { id: "r1", gpus: 4 }), NOW, "a", [["a/r0n0", [0, 1]]]);
    const gang = running(job("alpha", { id: "r2", nodes: 2, gpusPerNode: 4 }), NOW, "a", [
      ["a/r1n0", [0, 1, 2, 3]],
      ["a/r1n1", [0, 1]],
    ]);
    expect(problems([count, gang])).toEqual([
      "running[0].allocation: holds 2 GPUs but the job asks for 4",
      "running[1].allocation: holds 4 + 2 GPUs on 2 nodes but the job is a gang of 2 nodes × 4 GPUs",
    ]);
  });
});
