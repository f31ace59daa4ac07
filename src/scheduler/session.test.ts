import { describe, expect, it } from "vitest";
import { facility, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { SchedulerSession } from "./session.ts";

describe("scheduler session", () => {
  // One NVLink domain of two 4-GPU nodes; a borrower holds one of them.
  const cf = compileFacility(facility({ id: "no", racks: 1, nodesPerRack: 2 }));
  const p = policy(
    [tier("first", 8), tier("second", 0, { reclaimByPreemption: false })],
    [tenant("f", "first"), tenant("s", "second")],
  );
  const borrower = job("s", { gpus: 4, limitS: 86_400 });

  it("looks for a preemption again once a repaired node makes one possible", () => {
    const session = new SchedulerSession(cf, p, [
      running(borrower, T0 - 3_600_000, "no", [["no/r0n0", [0, 1, 2, 3]]]),
    ]);
    session.setNodeUp("no/r0n1", false);
    const reclaimer = job("f", { nodes: 2, gpusPerNode: 4 });
    session.submit(reclaimer);
    // With the other node down, preempting the borrower would not make room: nothing to do.
    expect(session.pass(T0).preempt).toEqual([]);
    // Nothing started or ended since, but the node is back: the earlier miss no longer holds.
    session.setNodeUp("no/r0n1", true);
    const d = session.pass(T0 + 1000);
    expect(d.preempt.map((x) => x.jobId)).toEqual([borrower.id]);
    expect(d.start.map((x) => x.jobId)).toEqual([reclaimer.id]);
  });

  it("counts GPUs and queued jobs per tier as jobs start, end and nodes fail", () => {
    const session = new SchedulerSession(cf, p);
    const jobs = [
      job("f", { gpus: 4 }),
      job("s", { gpus: 4 }),
      job("s", { gpus: 2 }),
      job("f", { gpus: 64 }),
    ];
    for (const j of jobs) session.submit(j);
    expect(session.snapshot()).toEqual({
      availableGpus: 8,
      allocatedGpus: 0,
      queued: 3,
      queuedByTier: { first: 1, second: 2 },
      allocatedByTier: { first: 0, second: 0 },
    });
    session.pass(T0);
    expect(session.snapshot()).toMatchObject({
      allocatedGpus: 8,
      queued: 1,
      queuedByTier: { first: 0, second: 1 },
      allocatedByTier: { first: 4, second: 4 },
    });
    session.finish(jobs[0]!.id);
    session.finish(jobs[1]!.id);
    session.setNodeUp("no/r0n0", false);
    expect(session.snapshot()).toEqual({
      availableGpus: 4,
      allocatedGpus: 0,
      queued: 1,
      queuedByTier: { first: 0, second: 1 },
      allocatedByTier: { first: 0, second: 0 },
    });
    session.pass(T0 + 1000);
    expect(session.snapshot()).toMatchObject({ allocatedGpus: 2, queued: 0, allocatedByTier: { second: 2 } });
  });

  it("counts per tier whatever the tiers are called, built-in property names included", () => {
    const named = policy(
      [tier("__proto__", 4), tier("constructor", 4)],
      [tenant("p", "__proto__"), tenant("c", "constructor")],
    );
    const session = new SchedulerSession(cf, named);
    session.submit(job("p", { gpus: 4 }));
    session.submit(job("c", { gpus: 4 }));
    session.submit(job("c", { gpus: 4 }));
    session.pass(T0);
    const { queuedByTier, allocatedByTier } = session.snapshot();
    expect(Object.entries(queuedByTier)).toEqual([
      ["__proto__", 0],
      ["constructor", 1],
    ]);
    expect(Object.entries(allocatedByTier)).toEqual([
      ["__proto__", 4],
      ["constructor", 4],
    ]);
  });
});
