// Shares of one GPU (JobShape "share", thousandths of a GPU) on GPU types that allow sharing: shares fill
// a shared GPU before they take another, never add up to more than one GPU, never land on a GPU a
// whole-GPU job holds nor let a whole-GPU job onto a shared one, and count as their fraction against
// quotas and guarantees.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decide,
  facility,
  GB300,
  H100,
  job,
  policy,
  running,
  T0,
  tenant,
  tier,
} from "../../test/support/build.ts";
import type { Allocation, Job } from "../model/types.ts";
import { compileFacility } from "./compile-facility.ts";
import { describeStart, describeWaiting } from "./explain.ts";
import { SchedulerSession } from "./session.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const SHARED_GB300 = { ...GB300, id: "gb300-shared", gpuSharing: true };
// Two 4-GPU nodes whose GPUs may be shared, each its own NVLink domain.
const sharedFacility = facility({
  id: "no",
  racks: 2,
  nodesPerRack: 1,
  nodeType: SHARED_GB300,
  nvlink: "node",
});
const p = policy([tier("all", 8)], [tenant("t", "all"), tenant("q", "all", { quotaGpus: 1 })]);
const share = (gpuMilli: number, tenantId = "t"): Job => ({
  ...job(tenantId),
  shape: { kind: "share", gpuMilli },
});
const where = (a: Allocation) =>
  a.nodes.map((n) => `${n.nodeId}#${n.gpus.join(",")}@${n.gpuMilli ?? "whole"}`);

describe("shares of a GPU", () => {
  it("fill one shared GPU before they take another", () => {
    const shares = [250, 250, 250, 250, 500].map((m) => share(m));
    const d = decide(sharedFacility, p, shares);
    expect(d.start.map((s) => where(s.allocation)[0])).toEqual([
      "no/r0n0#0@250",
      "no/r0n0#0@250",
      "no/r0n0#0@250",
      "no/r0n0#0@250",
      "no/r0n0#1@500",
    ]);
  });

  it("keep whole-GPU jobs off shared GPUs, and off a node's shared GPU when they need the whole node", () => {
    const held = running(share(100), T0 - 60_000, "no", [["no/r0n0", [2]]]);
    held.allocation.nodes[0]!.gpuMilli = 100;
    const whole = job("t", { gpus: 4 });
    const three = job("t", { gpus: 3 });
    const d = decide(sharedFacility, p, [whole, three], [held]);
    const byJob = new Map(d.start.map((s) => [s.jobId, where(s.allocation)]));
    expect(byJob.get(whole.id)).toEqual(["no/r1n0#0,1,2,3@whole"]);
    expect(byJob.get(three.id)).toEqual(["no/r0n0#0,1,3@whole"]);
  });

  it("run only on GPU types that allow sharing", () => {
    const plain = facility({ id: "no", racks: 1, nodesPerRack: 1 });
    const s = share(300);
    const d = decide(plain, p, [s]);
    expect(d.start).toEqual([]);
    expect(d.waiting[0]!.reason).toMatchObject({ kind: "no-eligible-site" });
  });

  it("say in words what a share waits for and where it starts", () => {
    const full = [1, 2, 3, 4, 5, 6, 7, 8].map(() => share(1000 - 100));
    const waitingShare = share(250);
    const d = decide(sharedFacility, p, [...full, waitingShare]);
    expect(describeStart(d.start[0]!)).toBe("start on 1 node (0.9 GPU) at no");
    const w = d.waiting.find((x) => x.jobId === waitingShare.id)!;
    expect(describeWaiting(w.reason, null)).toBe("waiting: no GB300 GPU has 0.25 of it free");
  });

  it("never take a whole GPU by preemption: a share within its guarantee waits for room", () => {
    const tiers = policy([tier("hi", 4), tier("lo", 0)], [tenant("h", "hi"), tenant("l", "lo")]);
    // 1-GPU borrowers an hour in, and a share that runs a day: preempting one would be worth it.
    const borrowers = [0, 1, 2, 3].map((g) =>
      running(job("l", { gpus: 1, limitS: 7200 }), T0 - 3_600_000, "no", [["no/r0n0", [g]]]),
    );
    const s = { ...share(250, "h"), estimatedRuntimeS: 86_400, limitS: 86_400 };
    const oneNode = facility({ id: "no", racks: 1, nodesPerRack: 1, nodeType: SHARED_GB300, nvlink: "node" });
    const d = decide(oneNode, tiers, [s], borrowers);
    expect(d.start).toEqual([]);
    expect(d.preempt).toEqual([]);
    expect(d.waiting[0]!.reason.kind).toBe("no-room");
  });

  it("at a tenant's own site, start where a shared GPU has room, in passes that explain and those that do not", () => {
    const own = facility(
      { id: "no", racks: 1, nodesPerRack: 1, nodeType: SHARED_GB300, nvlink: "node" },
      {
        id: "own",
        racks: 1,
        nodesPerRack: 1,
        owner: "t",
        nodeType: { ...SHARED_GB300, id: "own-shared", gpuModel: "X" },
        nvlink: "node",
      },
    );
    const depth1 = policy(p.tiers, p.tenants, { backfill: { reservationDepth: 1 } });
    const half = running({ ...share(500), gpuModels: ["X"] }, T0 - 60_000, "own", [["own/r0n0", [0]]]);
    half.allocation.nodes[0]!.gpuMilli = 500;
    const rest = running(job("t", { gpus: 3, gpuModels: ["X"] }), T0 - 60_000, "own", [
      ["own/r0n0", [1, 2, 3]],
    ]);
    // Two blocked whole-GPU jobs use up the own queue's depth before the share comes.
    const blocked = [1, 2].map(() => job("t", { gpus: 2, gpuModels: ["X"] }));
    // Half an hour: it ends before the blocked job's reservation over the shared GPU begins.
    const fits = { ...share(300), gpuModels: ["X"], estimatedRuntimeS: 1800, limitS: 1800 };
    for (const explainWaiting of [true, false]) {
      const session = new SchedulerSession(compileFacility(own), depth1, [half, rest]);
      session.submitAll([...blocked, fits]);
      const d = session.pass(T0, { explainWaiting });
      expect(d.start.map((x) => where(x.allocation)[0])).toEqual(["own/r0n0#0@300"]);
    }
  });

  it("do not starve a whole-node job: it holds a reservation over a shared GPU from its last share's limit", () => {
    const oneNode = facility({ id: "no", racks: 1, nodesPerRack: 1, nodeType: SHARED_GB300, nvlink: "node" });
    const hourShare = (atMs: number) => ({
      ...share(300),
      submittedAtMs: atMs,
      estimatedRuntimeS: 3600,
      limitS: 3600,
    });
    const first = running(hourShare(T0 - 1000), T0, "no", [["no/r0n0", [0]]]);
    first.allocation.nodes[0]!.gpuMilli = 300;
    const session = new SchedulerSession(compileFacility(oneNode), p, [first]);
    const big = job("t", { gpus: 4 });
    session.submit(big);
    const ends = new Map([[first.job.id, T0 + 3_600_000]]);
    let startedAtMs: number | null = null;
    // A new one-hour share every half hour, for a day.
    for (let k = 0; k <= 48 && startedAtMs === null; k++) {
      const nowMs = T0 + k * 1_800_000;
      for (const [id, endAtMs] of ends)
        if (endAtMs <= nowMs) {
          session.finish(id);
          ends.delete(id);
        }
      const s = hourShare(nowMs);
      session.submit(s);
      for (const st of session.pass(nowMs).start) {
        if (st.jobId === big.id) startedAtMs = nowMs;
        else ends.set(st.jobId, nowMs + 3_600_000);
      }
    }
    // The first share's hour is up at +60 min: the shares that came meanwhile did not take the node.
    expect(startedAtMs).toBe(T0 + 3_600_000);
  });

  it("count as their fraction against a tenant's quota", () => {
    // q's hard quota is one GPU: four quarter shares fit it, the fifth waits for the quota.
    const shares = [1, 2, 3, 4, 5].map(() => share(250, "q"));
    const d = decide(sharedFacility, p, shares);
    expect(d.start).toHaveLength(4);
    expect(d.waiting.find((w) => w.jobId === shares[4]!.id)!.reason).toMatchObject({
      kind: "tenant-quota",
      usedGpus: 1,
      quotaGpus: 1,
    });
  });
});

// An 8-GPU H100 node partitioned into MIG instances, and one 4-GPU GB300 node shared in thousandths.
const MIG_H100 = {
  ...H100,
  id: "h100-mig",
  migProfiles: ["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"],
};
const partitioned = facility(
  { id: "no", racks: 1, nodesPerRack: 1, nodeType: MIG_H100, nvlink: "node" },
  { id: "nb", racks: 1, nodesPerRack: 1, nodeType: SHARED_GB300, nvlink: "node" },
);
const mig = (profile: string): Job => ({ ...job("t"), shape: { kind: "mig", profile } });

describe("MIG instances", () => {
  it("fill a GPU's seven slices before they take another, and never mix with fractional shares", () => {
    const slices = ["4g.40gb", "3g.40gb", "4g.40gb", "1g.10gb", "2g.20gb", "1g.10gb"].map(mig);
    const fractional = share(500);
    const d = decide(partitioned, p, [...slices, fractional]);
    const at = new Map(d.start.map((s) => [s.jobId, where(s.allocation)[0]]));
    // 4 + 3 fill GPU 0; 4 + 1 + 2 fill GPU 1 (7 slices), the last 1g goes on to GPU 2.
    expect(slices.map((j) => at.get(j.id))).toEqual([
      "no/r0n0#0@571",
      "no/r0n0#0@428",
      "no/r0n0#1@571",
      "no/r0n0#1@142",
      "no/r0n0#1@285",
      "no/r0n0#2@142",
    ]);
    expect(at.get(fractional.id)).toBe("nb/r0n0#0@500");
  });

  it("run only where the GPU type has the profile, and name a profile that is not one", () => {
    const d = decide(partitioned, p, [mig("5g.60gb"), mig("big"), { ...share(100), gpuModels: ["H100"] }]);
    expect(d.start).toEqual([]);
    expect(d.waiting.map((w) => w.reason)).toEqual([
      {
        kind: "no-eligible-site",
        detail: "no GPU type the job may use is partitioned into MIG profile 5g.60gb (migProfiles)",
      },
      {
        kind: "no-eligible-site",
        detail: 'MIG profile "big" is not of the form <slices>g.<memory>gb, e.g. 3g.40gb',
      },
      {
        kind: "no-eligible-site",
        detail: "no GPU type the job may use is shared (gpuSharing): a share of one GPU cannot run there",
      },
    ]);
  });

  it("hold no reservation when no GPU has room, as shares do", () => {
    const full = [1, 2, 3, 4, 5, 6, 7, 8].map(() => mig("7g.80gb"));
    const waiting = mig("1g.10gb");
    const d = decide(partitioned, p, [...full, waiting]);
    expect(d.start).toHaveLength(8);
    expect(d.reservations).toEqual([]);
    expect(d.waiting.find((w) => w.jobId === waiting.id)!.reason.kind).toBe("no-room");
  });

  it("never put more than seven slices on one GPU, over random arrivals and ends (property-based)", () => {
    const profiles = MIG_H100.migProfiles;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...profiles), fc.nat()), { minLength: 1, maxLength: 60 }),
        (steps) => {
          const session = new SchedulerSession(compileFacility(partitioned), p);
          let nowMs = T0;
          for (const step of steps) {
            if (typeof step === "number") {
              const ids = session.runningJobIds().sort();
              if (ids.length > 0) session.finish(ids[step % ids.length]!);
            } else session.submit(mig(step));
            nowMs += 1000;
            session.pass(nowMs, { explainWaiting: false });
            const slices = new Map<string, number>();
            for (const r of session.running()) {
              const profile = (r.job.shape as { profile: string }).profile;
              const [n] = r.allocation.nodes;
              expect(n!.nodeId.startsWith("no/")).toBe(true);
              const gpu = `${n!.nodeId}#${n!.gpus[0]}`;
              slices.set(gpu, (slices.get(gpu) ?? 0) + Number(profile[0]));
              expect(slices.get(gpu)!).toBeLessThanOrEqual(7);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("shares of a GPU over time (property-based)", () => {
  const stepArb = fc.oneof(
    fc.record({ kind: fc.constant("share" as const), gpuMilli: fc.integer({ min: 1, max: 999 }) }),
    fc.record({ kind: fc.constant("whole" as const), gpus: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant("finish" as const), pick: fc.nat() }),
  );

  it("never hold more than one GPU, never share a GPU held whole, and every share is one GPU of one node", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const session = new SchedulerSession(compileFacility(sharedFacility), p);
        const asked = new Map<string, Job>();
        let nowMs = T0;
        for (const step of steps) {
          if (step.kind === "finish") {
            const ids = session.runningJobIds().sort();
            if (ids.length > 0) session.finish(ids[step.pick % ids.length]!);
          } else {
            const j = step.kind === "share" ? share(step.gpuMilli) : job("t", { gpus: step.gpus });
            asked.set(j.id, j);
            session.submit(j);
          }
          nowMs += 1000;
          session.pass(nowMs, { explainWaiting: false });
          const milli = new Map<string, number>();
          const whole = new Set<string>();
          for (const r of session.running()) {
            const shape = asked.get(r.job.id)!.shape;
            for (const n of r.allocation.nodes)
              for (const g of n.gpus) {
                const gpu = `${n.nodeId}#${g}`;
                if (n.gpuMilli === undefined) {
                  expect(whole.has(gpu) || milli.has(gpu), `${gpu} held whole and again`).toBe(false);
                  whole.add(gpu);
                } else {
                  expect(whole.has(gpu), `${gpu} held whole and shared`).toBe(false);
                  milli.set(gpu, (milli.get(gpu) ?? 0) + n.gpuMilli);
                  expect(milli.get(gpu)!, `${gpu} shared past one GPU`).toBeLessThanOrEqual(1000);
                }
              }
            if (shape.kind === "share") {
              expect(r.allocation.nodes).toHaveLength(1);
              expect(r.allocation.nodes[0]!.gpus).toHaveLength(1);
              expect(r.allocation.nodes[0]!.gpuMilli).toBe(shape.gpuMilli);
            } else expect(r.allocation.nodes.every((n) => n.gpuMilli === undefined)).toBe(true);
          }
          // What the scheduler counts as held is what the jobs hold, shares as their fraction.
          let held = 0;
          for (const r of session.running())
            for (const n of r.allocation.nodes)
              held += n.gpuMilli === undefined ? n.gpus.length : n.gpuMilli / 1000;
          expect(session.snapshot().allocatedGpus).toBeCloseTo(held, 9);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
