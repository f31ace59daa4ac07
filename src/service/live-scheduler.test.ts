import { describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import { LiveScheduler, type PassRequest } from "./live-scheduler.ts";

// One site of 2 racks × 2 nodes × 4 GPUs = 16 GPUs; national guaranteed 8, global may borrow the rest.
const FACILITY = facility({ id: "no1", racks: 2, nodesPerRack: 2, racksPerBlock: 2 });
const POLICY = policy(
  [tier("national", 8), tier("global", 0, { reclaimByPreemption: false })],
  [tenant("aurora", "national"), tenant("bifrost", "national"), tenant("falcon", "global")],
);
const full = (nowMs = T0): PassRequest => ({ nowMs, usage: [], full: true, quickPassJobs: 2 });
const quick = (nowMs = T0): PassRequest => ({ ...full(nowMs), full: false });
const ids = (view: ReturnType<LiveScheduler["queue"]>, tierId: string) =>
  view.tiers.find((t) => t.tierId === tierId)!.waiting.map((w) => w.jobId);

describe("the live scheduler", () => {
  it("starts what fits and explains the rest, counting every tenant's jobs but listing the caller's", () => {
    const s = new LiveScheduler(FACILITY, POLICY);
    const fills = job("aurora", { gpus: 16 });
    const waitA = job("aurora", { gpus: 4, submittedAtMs: T0 + 1 });
    const waitB = job("bifrost", { gpus: 4, submittedAtMs: T0 + 2 });
    const later = job("falcon", { gpus: 4, notBeforeAtMs: T0 + 86_400_000 });
    s.submit(fills);
    expect(s.pass(full()).start.map((d) => d.jobId)).toEqual([fills.id]);
    for (const j of [waitA, waitB, later]) s.submit(j);

    const result = s.pass(full());
    expect(result.start).toEqual([]);
    expect(result.complete).toBe(true);

    const all = s.queue(null, 100);
    expect(all.atMs).toBe(T0);
    // In the order the scheduler considers them: bifrost first, aurora already holds the site (fair share).
    expect(ids(all, "national")).toEqual([waitB.id, waitA.id]);
    expect(ids(all, "global")).toEqual([later.id]);
    const entry = all.tiers[0]!.waiting[1]!;
    expect(entry).toMatchObject({ tenantId: "aurora", tierId: "national", gpus: 4, submittedAtMs: T0 + 1 });
    expect(entry.reason.kind).toBe("reserved");
    expect(entry.sentence).toMatch(/^reserved: 4 GPUs at no1 from /);

    const own = s.queue("bifrost", 100);
    expect(own.tiers.map((t) => t.waitingCount)).toEqual([2, 1]);
    expect(ids(own, "national")).toEqual([waitB.id]);
    expect(ids(own, "global")).toEqual([]);

    const first = s.queue(null, 1);
    expect(first.tiers.map((t) => t.waitingCount)).toEqual([2, 1]);
    expect(ids(first, "national")).toEqual([waitB.id]);
  });

  it("drops cancelled and started jobs from the queue and keeps the reasons a quick pass did not look at", () => {
    const s = new LiveScheduler(FACILITY, POLICY);
    const fills = job("aurora", { gpus: 16 });
    const waiting = [1, 2, 3, 4].map((k) => job("aurora", { gpus: 4, submittedAtMs: T0 + k }));
    s.submit(fills);
    s.pass(full());
    for (const j of waiting) s.submit(j);
    s.pass(full());
    expect(ids(s.queue(null, 100), "national")).toEqual(waiting.map((j) => j.id));

    s.cancel(waiting[0]!.id);
    // A quick pass looks at the head only (2 jobs here); the reason of the last one stays listed.
    const result = s.pass(quick(T0 + 1000));
    expect(result.complete).toBe(false);
    expect(ids(s.queue(null, 100), "national")).toEqual(waiting.slice(1).map((j) => j.id));

    s.finish(fills.id);
    const started = s.pass(full(T0 + 2000));
    expect(started.start.map((d) => d.jobId).sort()).toEqual(waiting.slice(1).map((j) => j.id));
    expect(s.queue(null, 100).tiers.map((t) => t.waitingCount)).toEqual([0, 0]);
    expect(s.snapshot()).toMatchObject({ allocatedGpus: 12, queued: 0 });
  });

  it("after a reset keeps the reasons of the jobs still queued and schedules on the new state", () => {
    const s = new LiveScheduler(FACILITY, POLICY);
    const fills = job("aurora", { gpus: 16 });
    const a = job("aurora", { gpus: 4, submittedAtMs: T0 + 1 });
    const b = job("aurora", { gpus: 4, submittedAtMs: T0 + 2 });
    s.submit(fills);
    const allocation = s.pass(full()).start[0]!.allocation;
    s.submit(a);
    s.submit(b);
    s.pass(full());

    // The store says: fills still runs, a was cancelled elsewhere, b still waits.
    s.reset(POLICY, [{ job: fills, startedAtMs: T0, allocation }], [b], []);
    expect(ids(s.queue(null, 100), "national")).toEqual([b.id]);
    expect(s.snapshot()).toMatchObject({ allocatedGpus: 16, queued: 1 });
    // A job the reset already brought in, submitted again, changes nothing.
    s.submit(b);
    s.submit(fills);
    expect(s.snapshot()).toMatchObject({ allocatedGpus: 16, queued: 1 });
  });
});
