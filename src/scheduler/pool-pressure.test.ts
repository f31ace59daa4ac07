// A job that may use several GPU models of one site leaves the scarce model to the jobs that need it.
import { describe, expect, it } from "vitest";
import { facility, GB300, H100, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Facility } from "../model/types.ts";
import { compileFacility } from "./compile-facility.ts";
import { schedule } from "./schedule.ts";

/** One site "s" with GB300 nodes (4 GPUs each) first in facility order, then H100 nodes (8 GPUs each). */
function twoModelSite(gb300Nodes: number, h100Nodes: number): Facility {
  const f = facility(
    { id: "s", racks: 1, nodesPerRack: gb300Nodes, nodeType: GB300, nvlink: "node" },
    { id: "x", racks: 1, nodesPerRack: h100Nodes, nodeType: H100, nvlink: "node" },
  );
  return {
    ...f,
    sites: f.sites.filter((s) => s.id === "s"),
    halls: f.halls.filter((h) => h.siteId === "s"),
    racks: f.racks.map((r) => ({ ...r, siteId: "s" })),
    nodes: f.nodes.map((n) => ({ ...n, siteId: "s", hallId: "s/h" })),
  };
}

const p = policy([tier("all", 0)], [tenant("t", "all")]);
const modelOf = (nodeId: string) => (nodeId.startsWith("s/") ? "GB300" : "H100");

describe("pool pressure", () => {
  it("sends jobs that may use any model to the larger pool when nobody needs the small one", () => {
    // GB300: 2 nodes, 8 GPUs; H100: 8 nodes, 64 GPUs.
    const d = schedule({
      facility: compileFacility(twoModelSite(2, 8)),
      policy: p,
      queue: [job("t", { gpus: 1 }), job("t", { gpus: 2 })],
      running: [],
      usage: [],
      nowMs: T0,
    });
    expect(d.start.flatMap((s) => s.allocation.nodes.map((n) => modelOf(n.nodeId)))).toEqual([
      "H100",
      "H100",
    ]);
  });

  it("keeps the model that constrained jobs need for them, and the jobs with a choice elsewhere", () => {
    // GB300: 16 nodes, 64 GPUs, the larger pool; H100: 2 nodes, 16 GPUs. Thirty 4-GPU jobs that run only
    // on GB300 ask 120 of its 64 GPUs: it is the scarce model now, so the four jobs that may run on
    // either go to H100, and sixteen GB300-only jobs start on its sixteen nodes.
    const free = Array.from({ length: 4 }, () => job("t", { gpus: 4 }));
    const bound = Array.from({ length: 30 }, () => job("t", { gpus: 4, gpuModels: ["GB300"] }));
    const d = schedule({
      facility: compileFacility(twoModelSite(16, 2)),
      policy: p,
      queue: [...bound, ...free],
      running: [],
      usage: [],
      nowMs: T0,
    });
    const started = new Map(d.start.map((s) => [s.jobId, modelOf(s.allocation.nodes[0]!.nodeId)]));
    for (const j of free) expect(started.get(j.id), j.id).toBe("H100");
    expect(bound.filter((j) => started.get(j.id) === "GB300").length).toBe(16);
  });

  it("without that demand, the same jobs with a choice take the larger GB300 pool", () => {
    const free = Array.from({ length: 4 }, () => job("t", { gpus: 4 }));
    const d = schedule({
      facility: compileFacility(twoModelSite(16, 2)),
      policy: p,
      queue: free,
      running: [],
      usage: [],
      nowMs: T0,
    });
    expect(d.start.map((s) => modelOf(s.allocation.nodes[0]!.nodeId))).toEqual([
      "GB300",
      "GB300",
      "GB300",
      "GB300",
    ]);
  });
});
