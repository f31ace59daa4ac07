// A GPU-count job that one allowed node can hold waits for one node with room, says so, and never spreads.
import { describe, expect, it } from "vitest";
import { facility, GB300, H100, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { describeWaiting } from "./explain.ts";
import { schedule } from "./schedule.ts";

// s0: two free 4-GPU GB300 nodes, first in facility order; s1: two 8-GPU H100 nodes, 4 GPUs busy on each.
const cf = compileFacility(
  facility(
    { id: "s0", racks: 1, nodesPerRack: 2, nodeType: GB300, nvlink: "node" },
    { id: "s1", racks: 1, nodesPerRack: 2, nodeType: H100, nvlink: "node" },
  ),
);
const p = policy([tier("all", 0)], [tenant("t", "all")], { backfill: { reservationDepth: 0 } });
const busy = [
  running(job("t", { gpus: 4 }), T0 - 60_000, "s1", [["s1/r0n0", [0, 1, 2, 3]]]),
  running(job("t", { gpus: 4 }), T0 - 60_000, "s1", [["s1/r0n1", [0, 1, 2, 3]]]),
];
const pass = (queued: ReturnType<typeof job>) =>
  schedule({ facility: cf, policy: p, queue: [queued], running: busy, usage: [], nowMs: T0 });

describe("GPU-count jobs that fit one node", () => {
  it("wait for one node with room rather than spread, and say that no node has the room", () => {
    const d = pass(job("t", { gpus: 8 }));
    expect(d.start).toEqual([]);
    expect(d.waiting[0]!.reason).toEqual({ kind: "no-room", scope: "node", gpus: 8, gpuModels: ["H100"] });
    expect(describeWaiting(d.waiting[0]!.reason, null)).toBe("waiting: no node has 8 free H100 GPUs");
  });

  it("take one node of a larger model when a smaller model's nodes are free", () => {
    const d = schedule({
      facility: cf,
      policy: p,
      queue: [job("t", { gpus: 8 })],
      running: [],
      usage: [],
      nowMs: T0,
    });
    expect(d.start[0]!.allocation.nodes.map((n) => n.nodeId)).toEqual(["s1/r0n0"]);
  });

  it("take trays of one multi-node NVLink domain, never of two, when no larger node has room", () => {
    // s0 as above but each rack one NVLink domain (two racks of two 4-GPU trays), one tray busy per rack.
    const nvl = compileFacility(
      facility(
        { id: "s0", racks: 2, nodesPerRack: 2, nodeType: GB300, nvlink: "rack" },
        { id: "s1", racks: 1, nodesPerRack: 2, nodeType: H100, nvlink: "node" },
      ),
    );
    const oneTrayBusyPerRack = [0, 1].map((r) =>
      running(job("t", { gpus: 4 }), T0 - 60_000, "s0", [[`s0/r${r}n0`, [0, 1, 2, 3]]]),
    );
    const decide = (runningJobs: typeof busy) =>
      schedule({
        facility: nvl,
        policy: p,
        queue: [job("t", { gpus: 8 })],
        running: runningJobs,
        usage: [],
        nowMs: T0,
      });
    const spread = decide(busy);
    expect(spread.start[0]!.allocation.nodes.map((n) => n.nodeId).sort()).toEqual(["s0/r0n0", "s0/r0n1"]);
    const split = decide([...busy, ...oneTrayBusyPerRack]);
    expect(split.start).toEqual([]);
  });

  it("spread only when they ask for it with nodes × gpusPerNode", () => {
    const d = pass(job("t", { nodes: 2, gpusPerNode: 4 }));
    expect(d.start[0]!.allocation.nodes.map((n) => n.nodeId).sort()).toEqual(["s0/r0n0", "s0/r0n1"]);
  });
});
