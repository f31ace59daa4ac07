import { describe, expect, it } from "vitest";
import { decide, facility, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import type { Decisions } from "./decisions.ts";

const startedIds = (d: Decisions) => d.start.map((s) => s.jobId);
const waiting = (d: Decisions, id: string) => d.waiting.find((w) => w.jobId === id);

// Four single-node racks of 4 GPUs: 16 GPUs, each node its own NVLink domain.
const f16 = facility({ id: "no", racks: 4, nodesPerRack: 1 });
const node = (k: number): [string, number[]] => [`no/r${k}n0`, [0, 1, 2, 3]];

describe("access tiers and guaranteed shares", () => {
  const p = policy(
    [
      tier("national", 8),
      tier("nordic", 4, { borrowingLimit: { gpus: 4 } }),
      tier("global", 4, { reclaimByPreemption: false }),
    ],
    [tenant("nat", "national"), tenant("nor", "nordic"), tenant("glo", "global")],
  );

  it("serves every tier's guaranteed share before any tier borrows", () => {
    const natJobs = [1, 2, 3, 4].map(() => job("nat", { gpus: 4 }));
    const gloJob = job("glo", { gpus: 4 });
    const d = decide(f16, p, [...natJobs, gloJob]);
    // national gets its 8 guaranteed GPUs and global its 4 before national borrows the last 4.
    expect(startedIds(d)).toEqual([natJobs[0]!.id, natJobs[1]!.id, gloJob.id, natJobs[2]!.id]);
    expect(d.start.find((s) => s.jobId === natJobs[2]!.id)!.borrowing).toBe(true);
    expect(waiting(d, natJobs[3]!.id)!.reason.kind).toBe("reserved");
  });

  it("lends a tier's unused guarantee when that tier's jobs cannot run there", () => {
    const picky = policy(p.tiers, p.tenants);
    const twoSites = facility(
      { id: "no", racks: 3, nodesPerRack: 1 },
      { id: "ae", racks: 1, nodesPerRack: 1, jurisdictions: ["AE"] },
    );
    const natJobs = [1, 2, 3].map(() => job("nat", { gpus: 4, residency: ["NO"] }));
    // global's guarantee is unused in NO: its job may only run in AE, where national's jobs may not go.
    const gloJob = job("glo", { gpus: 4, residency: ["AE"] });
    const busyAe = running(job("nor", { gpus: 4 }), T0, "ae", [["ae/r0n0", [0, 1, 2, 3]]]);
    const d = decide(twoSites, picky, [...natJobs, gloJob], [busyAe]);
    expect(startedIds(d)).toEqual(natJobs.map((j) => j.id));
  });

  it("lends idle guaranteed capacity to a lower tier", () => {
    const gloJobs = [1, 2, 3].map(() => job("glo", { gpus: 4 }));
    const d = decide(f16, p, gloJobs);
    expect(startedIds(d)).toEqual(gloJobs.map((j) => j.id));
  });

  it("stops a tier at its borrowing limit and says so", () => {
    const norJobs = [1, 2, 3].map(() => job("nor", { gpus: 4 }));
    const d = decide(f16, p, norJobs);
    expect(startedIds(d)).toEqual([norJobs[0]!.id, norJobs[1]!.id]);
    expect(waiting(d, norJobs[2]!.id)!.reason).toEqual({
      kind: "borrowing-limit",
      tierId: "nordic",
      guaranteedGpus: 4,
      borrowedGpus: 4,
      limitGpus: 4,
      gpus: 4,
    });
  });

  it("gives no estimated start to a job larger than its tenant's quota or its tier's reach", () => {
    const q = policy(
      [tier("national", 4, { borrowingLimit: { gpus: 4 } })],
      [tenant("nat", "national"), tenant("small", "national", { quotaGpus: 4 })],
    );
    const overQuota = job("small", { gpus: 8 });
    const overTier = job("nat", { nodes: 3, gpusPerNode: 4, topology: "site" });
    const d = decide(f16, q, [overQuota, overTier]);
    expect(waiting(d, overQuota.id)).toMatchObject({
      reason: { kind: "tenant-quota" },
      estimatedStartAtMs: null,
    });
    expect(waiting(d, overTier.id)).toMatchObject({
      reason: { kind: "borrowing-limit" },
      estimatedStartAtMs: null,
    });
  });

  it("holds a tenant to its quota", () => {
    const q = policy([tier("national", 16)], [tenant("nat", "national", { quotaGpus: 4 })]);
    const a = job("nat", { gpus: 4 });
    const b = job("nat", { gpus: 4 });
    const d = decide(f16, q, [a, b]);
    expect(startedIds(d)).toEqual([a.id]);
    expect(waiting(d, b.id)!.reason).toMatchObject({ kind: "tenant-quota", usedGpus: 4, quotaGpus: 4 });
  });
});

describe("checkpoint-aware preemption", () => {
  const p = policy(
    [tier("national", 8), tier("global", 0, { reclaimByPreemption: false })],
    [tenant("nat", "national"), tenant("glo", "global")],
  );
  // Global borrowed the whole facility; its jobs differ in work lost since their last checkpoint.
  const borrowed = (checkpoints: (number | null)[]) =>
    checkpoints.map((interval, k) =>
      running(
        job("glo", { gpus: 4, checkpointIntervalS: interval, limitS: 86400, estimatedRuntimeS: 86400 }),
        T0 - 3000_000,
        "no",
        [node(k)],
      ),
    );

  it("reclaims a tier's guarantee by preempting the borrowers that lose the least work", () => {
    // ran 3,000 s: no checkpoint loses 3,000 s; every 600 s loses 0; every 1,000 s loses 0; every 700 s loses 200 s.
    const held = borrowed([null, 600, 1000, 700]);
    const nat = job("nat", { nodes: 2, gpusPerNode: 4, topology: "site" });
    const d = decide(f16, p, [nat], held);
    expect(d.preempt.map((x) => x.jobId).sort()).toEqual([held[1]!.job.id, held[2]!.job.id].sort());
    expect(d.preempt.every((x) => x.byJobId === nat.id && x.lostGpuS === 0)).toBe(true);
    expect(d.start[0]).toMatchObject({ jobId: nat.id, preempted: expect.arrayContaining([held[1]!.job.id]) });
  });

  it("never preempts to gain less work than it destroys", () => {
    const held = borrowed([null, null, null, null]); // each would lose 4 GPUs × 3,000 s
    const nat = job("nat", { gpus: 4, estimatedRuntimeS: 600, limitS: 600 }); // gains 4 × 600
    const d = decide(f16, p, [nat], held);
    expect(d.preempt).toEqual([]);
    expect(waiting(d, nat.id)!.reason).toEqual({
      kind: "preemption-not-worth",
      lostGpuS: 12000,
      gainGpuS: 2400,
    });
  });

  it("does not preempt for a tier that waits for borrowed capacity to come back", () => {
    const q = policy(
      [tier("national", 8, { reclaimByPreemption: false }), tier("global", 0)],
      [tenant("nat", "national"), tenant("glo", "global")],
    );
    const held = borrowed([600, 600, 600, 600]);
    const nat = job("nat", { gpus: 4 });
    const d = decide(f16, q, [nat], held);
    expect(d.preempt).toEqual([]);
    expect(waiting(d, nat.id)!.reason).toMatchObject({
      kind: "reserved",
      startAtMs: T0 - 3000_000 + 86400_000,
    });
  });

  it("never preempts jobs of a tier that is within its guarantee", () => {
    const q = policy(
      [tier("national", 8), tier("nordic", 8)],
      [tenant("nat", "national"), tenant("nor", "nordic")],
    );
    const held = [0, 1].map((k) =>
      running(job("nor", { gpus: 4, checkpointIntervalS: 600 }), T0 - 3000_000, "no", [node(k)]),
    );
    const filler = [2, 3].map((k) => running(job("nat", { gpus: 4 }), T0, "no", [node(k)]));
    const nat = job("nat", { gpus: 4 });
    const d = decide(f16, q, [nat], [...held, ...filler]);
    expect(d.preempt).toEqual([]);
  });
});

describe("fair share inside a tier", () => {
  const p = policy([tier("national", 16)], [tenant("a", "national"), tenant("b", "national", { weight: 1 })]);

  it("serves the tenant with less decayed usage first", () => {
    const a = job("a", { nodes: 4, gpusPerNode: 4, topology: "site" });
    const b = job("b", { nodes: 4, gpusPerNode: 4, topology: "site" });
    const usage = [
      { tenantId: "a", decayedGpuHours: 100, atMs: T0 },
      { tenantId: "b", decayedGpuHours: 150, atMs: T0 - 14 * 86400_000 }, // two half-lives old: 37.5
    ];
    const d = decide(f16, p, [a, b], [], usage);
    expect(startedIds(d)).toEqual([b.id]);
  });

  it("alternates between tenants as their committed usage grows", () => {
    const as = [1, 2].map(() => job("a", { gpus: 4 }));
    const bs = [1, 2].map(() => job("b", { gpus: 4 }));
    const d = decide(f16, p, [...as, ...bs]);
    expect(startedIds(d)).toEqual([as[0]!.id, bs[0]!.id, as[1]!.id, bs[1]!.id]);
  });

  it("weights shares: a tenant of weight 3 gets three starts for each of a weight-1 tenant's", () => {
    const w = policy(
      [tier("national", 64)],
      [tenant("a", "national", { weight: 3 }), tenant("b", "national")],
    );
    const big = facility({ id: "no", racks: 8, nodesPerRack: 1 });
    const as = [1, 2, 3, 4, 5, 6].map(() => job("a", { gpus: 4 }));
    const bs = [1, 2, 3, 4, 5, 6].map(() => job("b", { gpus: 4 }));
    const d = decide(big, w, [...as, ...bs]);
    const tenants = d.start.map((s) => s.jobId).map((id) => (as.some((j) => j.id === id) ? "a" : "b"));
    expect(tenants.filter((t) => t === "a")).toHaveLength(6);
    expect(tenants.filter((t) => t === "b")).toHaveLength(2);
  });
});

describe("backfill", () => {
  const p = policy([tier("national", 64)], [tenant("a", "national"), tenant("b", "national")]);
  // Three nodes busy for another hour; the big job needs all four.
  const busy = [0, 1, 2].map((k) => running(job("b", { gpus: 4, limitS: 3600 }), T0, "no", [node(k)]));

  it("starts a job ahead of a blocked one when it ends before the reservation", () => {
    const big = job("a", { nodes: 4, gpusPerNode: 4, topology: "site", priority: 10 });
    const short = job("a", { gpus: 4, limitS: 1800, estimatedRuntimeS: 1800 });
    const d = decide(f16, p, [big, short], busy);
    expect(d.reservations[0]).toMatchObject({ jobId: big.id, startAtMs: T0 + 3600_000 });
    expect(d.start[0]).toMatchObject({ jobId: short.id, backfilled: true });
  });

  it("flags a start as backfilled only where a reservation holds the same pool", () => {
    const twoSites = facility(
      { id: "no", racks: 4, nodesPerRack: 1 },
      { id: "ae", racks: 1, nodesPerRack: 1, jurisdictions: ["AE"] },
    );
    const big = job("a", { nodes: 4, gpusPerNode: 4, topology: "site", priority: 10, residency: ["NO"] });
    const elsewhere = job("a", { gpus: 4, residency: ["AE"], limitS: 7200, estimatedRuntimeS: 7200 });
    const d = decide(twoSites, p, [big, elsewhere], busy);
    expect(d.reservations.map((r) => r.jobId)).toEqual([big.id]);
    expect(d.start[0]).toMatchObject({ jobId: elsewhere.id, backfilled: false });
  });

  it("does not start a job that would delay a reservation", () => {
    const big = job("a", { nodes: 4, gpusPerNode: 4, topology: "site", priority: 10 });
    const long = job("a", { gpus: 4, limitS: 7200, estimatedRuntimeS: 7200 });
    const d = decide(f16, p, [big, long], busy);
    expect(d.start).toEqual([]);
    expect(waiting(d, long.id)!.reason.kind).toBe("reserved");
    expect(d.reservations.map((r) => r.jobId)).toEqual([big.id, long.id]);
    expect(d.reservations[1]!.startAtMs).toBeGreaterThanOrEqual(T0 + 3600_000 + 3600_000);
  });

  it("gives jobs beyond the reservation depth a fluid estimate", () => {
    const shallow = policy(p.tiers, p.tenants, { backfill: { reservationDepth: 0 } });
    const j = job("a", { nodes: 4, gpusPerNode: 4, topology: "site" });
    const d = decide(f16, shallow, [j], busy);
    // 3 nodes × 4 GPUs × 3,600 s of work ahead on 16 GPUs → 2,700 s.
    expect(waiting(d, j.id)).toMatchObject({
      reason: { kind: "no-room", scope: "site" },
      estimatedStartAtMs: T0 + 2700_000,
    });
  });

  it("waits for a start window to open", () => {
    const j = job("a", { gpus: 4, notBeforeAtMs: T0 + 60_000 });
    const d = decide(f16, p, [j]);
    expect(waiting(d, j.id)).toEqual({
      jobId: j.id,
      reason: { kind: "not-yet", notBeforeAtMs: T0 + 60_000 },
      estimatedStartAtMs: T0 + 60_000,
    });
  });
});
