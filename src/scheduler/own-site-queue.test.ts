// Jobs that only a tenant's own sites can run wait in a queue of their own, walked before the tiers with a
// reservation depth of their own. A backlog at a tenant's own cluster must not take the facility's
// reservations or a quick pass's look at the tier, and the own cluster goes first to the work that has
// nowhere else to run.
import { describe, expect, it } from "vitest";
import { decide, facility, H100, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { SchedulerSession } from "./session.ts";

// Two 4-GPU GB300 nodes at the facility, one 8-GPU H100 node that tenant a owns.
const hybrid = facility(
  { id: "no", racks: 2, nodesPerRack: 1, nvlink: "node" },
  { id: "own", racks: 1, nodesPerRack: 1, owner: "a", nodeType: H100, nvlink: "node" },
);
const p = policy([tier("national", 8)], [tenant("a", "national"), tenant("b", "national")], {
  backfill: { reservationDepth: 2 },
});
const ownNode: [string, number[]] = ["own/r0n0", [0, 1, 2, 3, 4, 5, 6, 7]];
const ownOnly = () => job("a", { gpus: 8, gpuModels: ["H100"] });
const ownBusy = () => running(job("a", { gpus: 8, gpuModels: ["H100"] }), T0 - 60_000, "own", [ownNode]);

describe("a tenant's own-site queue", () => {
  it("does not use up a quick pass's look at the tier", () => {
    const session = new SchedulerSession(compileFacility(hybrid), p, [ownBusy()]);
    const backlog = [1, 2, 3, 4, 5].map(ownOnly);
    const atFacility = job("a", { gpus: 4, gpuModels: ["GB300"] });
    session.submitAll([...backlog, atFacility]);
    const d = session.pass(T0, { maxJobsPerPhase: 3 });
    expect(d.start.map((s) => s.jobId)).toEqual([atFacility.id]);
    expect(d.reservations.map((r) => r.jobId)).toEqual([backlog[0]!.id, backlog[1]!.id]);
  });

  it("steps over a backlog the own site has no room for, deciding what a pass that looks at each does", () => {
    const backlog = Array.from({ length: 40 }, ownOnly);
    const passes = [true, false].map((explainWaiting) => {
      const session = new SchedulerSession(compileFacility(hybrid), p, [ownBusy()]);
      session.submitAll(backlog);
      const first = session.pass(T0, { explainWaiting });
      // The own node frees: the first job of the backlog starts, the one behind it all still waits.
      session.finish(session.runningJobIds()[0]!);
      return [first, session.pass(T0 + 1000, { explainWaiting })].map((d) => ({
        start: d.start.map((s) => s.jobId),
        complete: d.complete,
      }));
    });
    expect(passes[1]).toEqual(passes[0]);
    expect(passes[1]![1]!.start).toEqual([backlog[0]!.id]);
  });

  it("keeps a reservation depth of its own, apart from the facility's", () => {
    const facilityBusy = [0, 1].map((k) =>
      running(job("b", { gpus: 4 }), T0 - 60_000, "no", [[`no/r${k}n0`, [0, 1, 2, 3]]]),
    );
    const backlog = [1, 2, 3].map(ownOnly);
    const wide = job("a", { nodes: 2, gpusPerNode: 4, gpuModels: ["GB300"] });
    const d = decide(hybrid, p, [...backlog, wide], [ownBusy(), ...facilityBusy]);
    const reserved = d.reservations.map((r) => r.jobId);
    expect(reserved).toContain(wide.id);
    expect(reserved.filter((id) => id !== wide.id)).toEqual([backlog[0]!.id, backlog[1]!.id]);
    expect(d.waiting.find((w) => w.jobId === backlog[2]!.id)!.reason.kind).toBe("no-room");
  });

  it("gives the own site to a job that can run nowhere else before one that may run at the facility", () => {
    const anywhere = job("a", { gpus: 4 });
    const onlyOwn = ownOnly();
    const d = decide(hybrid, p, [anywhere, onlyOwn]);
    const siteOf = (id: string) => d.start.find((s) => s.jobId === id)?.allocation.siteId;
    expect(siteOf(onlyOwn.id)).toBe("own");
    expect(siteOf(anywhere.id)).toBe("no");
  });
});
