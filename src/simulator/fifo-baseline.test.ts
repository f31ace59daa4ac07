import { describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job } from "../model/types.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { fifoBaseline } from "./fifo-baseline.ts";
import { simulate } from "./simulate.ts";
import type { SimJob } from "./types.ts";

const S = 1000;
const one = compileFacility(facility({ id: "no", racks: 1, nodesPerRack: 1 })); // one node, 4 GPUs
const tiered = policy(
  [tier("national", 4, { reclaimByPreemption: false }), tier("global", 0)],
  [tenant("n", "national"), tenant("g", "global")],
);
const sim = (j: Job): SimJob => ({ job: j, runtimeS: j.estimatedRuntimeS });

// g1 holds the node from 0 to 100 s. g2 (global) arrives at 10 s, n1 (national) at 20 s, both for the
// whole node. The tiered policy serves the national tier first when g1 ends; FIFO serves g2, the older,
// even though n1 asks for a higher priority: one queue, one order.
const g1 = job("g", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 });
const g2 = job("g", {
  gpus: 4,
  estimatedRuntimeS: 100,
  limitS: 100,
  submittedAtMs: T0 + 10 * S,
});
const n1 = job("n", {
  gpus: 4,
  estimatedRuntimeS: 100,
  limitS: 100,
  submittedAtMs: T0 + 20 * S,
  priority: 9,
});
const workload = [sim(g1), sim(g2), sim(n1)];

const starts = (jobs: { jobId: string; runs: { startAtMs: number }[] }[]) =>
  Object.fromEntries(jobs.map((j) => [j.jobId, (j.runs[0]!.startAtMs - T0) / S]));

describe("FIFO + EASY baseline", () => {
  it("serves jobs in submission order where the tiered policy serves the higher tier first", () => {
    const policyRun = simulate({ facility: one, policy: tiered, workload, seed: 1 });
    expect(starts(policyRun.jobs)).toEqual({ [g1.id]: 0, [n1.id]: 100, [g2.id]: 200 });

    const baseline = fifoBaseline(tiered, workload);
    const fifoRun = baseline.restore(
      simulate({ facility: one, policy: baseline.policy, workload: baseline.workload, seed: 1 }),
    );
    expect(starts(fifoRun.jobs)).toEqual({ [g1.id]: 0, [g2.id]: 100, [n1.id]: 200 });
  });

  it("hands records back under each job's real tenant and tier", () => {
    const baseline = fifoBaseline(tiered, workload);
    const raw = simulate({ facility: one, policy: baseline.policy, workload: baseline.workload, seed: 1 });
    expect(new Set(raw.jobs.map((j) => j.tenantId))).toEqual(new Set(["fifo-queue"]));
    const restored = baseline.restore(raw);
    expect(restored.jobs.map((j) => [j.jobId, j.tenantId, j.tierId])).toEqual([
      [g1.id, "g", "global"],
      [g2.id, "g", "global"],
      [n1.id, "n", "national"],
    ]);
  });

  it("keeps backfill to one reservation (EASY) and leaves the workload it was given unchanged", () => {
    const before = JSON.stringify(workload);
    const baseline = fifoBaseline(tiered, workload);
    expect(baseline.policy.backfill.reservationDepth).toBe(1);
    expect(baseline.policy.tiers).toHaveLength(1);
    expect(JSON.stringify(workload)).toBe(before);
  });
});
