// No starvation behind a hard quota: on random streams of jobs from tenants with hard quotas, in a
// facility with room for all of them, a job waits for its quota no longer than the longest hard limit of
// its tenant's jobs once every job ahead of it in its tenant's order has started. Without the fence a
// large job waits while later, smaller jobs of its tenant keep taking the room (the test fails then).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job } from "../model/types.ts";
import { simulate } from "../simulator/simulate.ts";
import type { SimJob } from "../simulator/types.ts";
import { compileFacility } from "./compile-facility.ts";
import { describeWaiting } from "./explain.ts";
import { schedule } from "./schedule.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

// Four NVL72-like racks of 18 four-GPU nodes: 288 GPUs, far more than the quotas below add up to.
const cf = compileFacility(facility({ id: "s", racks: 4, nodesPerRack: 18, nvlink: "rack" }));
const TENANTS = ["a", "b"] as const;

const jobSpecArb = fc.record({
  tenant: fc.constantFrom(...TENANTS),
  // A share of the quota, so every job fits its quota; many small ones, some large.
  share: fc.oneof(
    fc.double({ min: 0.05, max: 0.3, noNaN: true }),
    fc.double({ min: 0.5, max: 1, noNaN: true }),
  ),
  arriveS: fc.integer({ min: 0, max: 5_000 }),
  limitS: fc.integer({ min: 60, max: 1_200 }),
  runShare: fc.double({ min: 0.1, max: 1, noNaN: true }),
});
type JobSpec = typeof jobSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** A large job, then a steady stream of smaller ones of the same tenant: where starvation shows. */
const burstArb: fc.Arbitrary<JobSpec[]> = fc
  .record({
    tenant: fc.constantFrom(...TENANTS),
    bigShare: fc.double({ min: 0.6, max: 1, noNaN: true }),
    bigAtS: fc.integer({ min: 0, max: 600 }),
    smalls: fc.integer({ min: 10, max: 60 }),
    gapS: fc.integer({ min: 10, max: 200 }),
    smallShare: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
    limitS: fc.integer({ min: 300, max: 1_200 }),
  })
  .map(({ tenant: t, bigShare, bigAtS, smalls, gapS, smallShare, limitS }) => [
    { tenant: t, share: bigShare, arriveS: bigAtS, limitS, runShare: 1 },
    ...Array.from({ length: smalls }, (_, k) => ({
      tenant: t,
      share: smallShare,
      arriveS: k * gapS,
      limitS,
      runShare: 0.9,
    })),
  ]);

const streamArb = fc.record({
  quotas: fc.tuple(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 4, max: 40 })),
  jobs: fc
    .tuple(fc.array(jobSpecArb, { maxLength: 60 }), fc.option(burstArb, { nil: undefined }))
    .map(([random, burst]) => [...random, ...(burst ?? [])])
    .filter((jobs) => jobs.length > 0),
});

describe("quota fence", () => {
  it("starts every job within its tenant's longest hard limit of its turn", () => {
    fc.assert(
      fc.property(streamArb, ({ quotas, jobs }) => {
        const p = policy(
          [tier("all", 288)],
          TENANTS.map((id, k) => tenant(id, "all", { quotaGpus: quotas[k]!, quotaMode: "hard" })),
        );
        const workload: SimJob[] = jobs.map((s, k) => {
          const quota = quotas[TENANTS.indexOf(s.tenant)]!;
          const j: Job = {
            ...job(s.tenant, { gpus: Math.max(1, Math.min(quota, Math.round(s.share * quota))) }),
            id: `j${String(k).padStart(3, "0")}`,
            submittedAtMs: T0 + s.arriveS * 1000,
            estimatedRuntimeS: s.limitS,
            limitS: s.limitS,
          };
          return { job: j, runtimeS: Math.max(1, Math.round(s.limitS * s.runShare)) };
        });
        const r = simulate({ facility: cf, policy: p, workload, seed: 1 });
        const startOf = new Map(
          r.jobs.map((rec) => [rec.jobId, rec.runs[0]?.startAtMs ?? Number.POSITIVE_INFINITY]),
        );
        for (const id of TENANTS) {
          const own = workload
            .map((w) => w.job)
            .filter((j) => j.tenantId === id)
            .sort((x, y) => x.submittedAtMs - y.submittedAtMs || (x.id < y.id ? -1 : 1));
          const longestLimitMs = Math.max(0, ...own.map((j) => j.limitS * 1000));
          let aheadStartedAtMs = Number.NEGATIVE_INFINITY;
          for (const j of own) {
            // Its turn: it was submitted, and every job ahead of it in its tenant's order had started.
            const turnAtMs = Math.max(j.submittedAtMs, aheadStartedAtMs);
            const startAtMs = startOf.get(j.id)!;
            expect(startAtMs - turnAtMs, `${j.id} of ${id}`).toBeLessThanOrEqual(longestLimitMs);
            aheadStartedAtMs = Math.max(aheadStartedAtMs, startAtMs);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps a large job's room from the tenant's later, smaller jobs, and says for which job", () => {
    const p = policy([tier("all", 288)], [tenant("a", "all", { quotaGpus: 8, quotaMode: "hard" })]);
    const big = { ...job("a", { gpus: 8 }), submittedAtMs: T0 - 10_000 };
    const small = { ...job("a", { gpus: 1 }), submittedAtMs: T0 - 5_000 };
    const busy = { ...job("a", { gpus: 4 }), submittedAtMs: T0 - 60_000 };
    const d = schedule({
      facility: cf,
      policy: p,
      queue: [big, small],
      running: [
        {
          job: busy,
          startedAtMs: T0 - 60_000,
          allocation: { siteId: "s", nodes: [{ nodeId: "s/r0n0", gpus: [0, 1, 2, 3] }] },
        },
      ],
      usage: [],
      nowMs: T0,
    });
    expect(d.start).toEqual([]);
    const reasons = new Map(d.waiting.map((w) => [w.jobId, w.reason]));
    expect(reasons.get(big.id)!.kind).toBe("tenant-quota");
    const held = reasons.get(small.id)!;
    expect(held).toEqual({
      kind: "quota-held",
      tenantId: "a",
      usedGpus: 4,
      quotaGpus: 8,
      gpus: 1,
      heldForJobId: big.id,
      heldGpus: 8,
    });
    // Neither can start before the tenant's running job ends (estimated an hour after it started), however
    // empty the facility.
    const estimates = new Map(d.waiting.map((w) => [w.jobId, w.estimatedStartAtMs]));
    expect(estimates.get(big.id)).toBeGreaterThanOrEqual(T0 - 60_000 + busy.estimatedRuntimeS * 1000);
    expect(estimates.get(small.id)).toBeGreaterThanOrEqual(T0 - 60_000 + busy.estimatedRuntimeS * 1000);
    expect(describeWaiting(held, null)).toBe(
      `waiting: tenant a keeps 8 GPUs of its quota for its earlier job ${big.id} (4/8 GPUs in use; this job needs 1 more)`,
    );
  });
});
