import { describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job } from "../model/types.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { simulate } from "./simulate.ts";
import type { SimJob } from "./types.ts";

const S = 1000;
const one = compileFacility(facility({ id: "no", racks: 1, nodesPerRack: 1 })); // one node, 4 GPUs
// Two racks of one 4-GPU node each: two one-node NVLink domains.
const twoSingleNodeRacks = compileFacility(facility({ id: "no", racks: 2, nodesPerRack: 1 }));
const p = policy([tier("national", 4)], [tenant("a", "national"), tenant("b", "national")]);
const sim = (j: Job, runtimeS = j.estimatedRuntimeS): SimJob => ({ job: j, runtimeS });

describe("simulator", () => {
  it("runs jobs back to back on a full node and records each wait", () => {
    const a = job("a", { gpus: 4, estimatedRuntimeS: 100, limitS: 200, submittedAtMs: T0 });
    const b = job("b", { gpus: 4, estimatedRuntimeS: 50, limitS: 100, submittedAtMs: T0 + 10 * S });
    const r = simulate({ facility: one, policy: p, workload: [sim(a), sim(b, 40)], seed: 1 });
    const [ra, rb] = r.jobs;
    expect(ra!.runs).toEqual([
      {
        startAtMs: T0,
        endAtMs: T0 + 100 * S,
        siteId: "no",
        gpus: 4,
        gpuModel: "GB300",
        wholeNodes: [{ first: "no/r0n0", count: 1 }],
        partNodes: [],
        end: "completed",
        lostGpuS: 0,
      },
    ]);
    // b waits for a: submitted at 10 s, starts at 100 s, runs its real 40 s.
    expect(rb!.runs).toEqual([
      {
        startAtMs: T0 + 100 * S,
        endAtMs: T0 + 140 * S,
        siteId: "no",
        gpus: 4,
        gpuModel: "GB300",
        wholeNodes: [{ first: "no/r0n0", count: 1 }],
        partNodes: [],
        end: "completed",
        lostGpuS: 0,
      },
    ]);
    expect(rb!.completedAtMs).toBe(T0 + 140 * S);
    expect(r.fromMs).toBe(T0);
    expect(r.toMs).toBe(T0 + 140 * S);
  });

  it("stops a job at its hard limit and does not finish it", () => {
    const a = job("a", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 });
    const r = simulate({ facility: one, policy: p, workload: [sim(a, 500)], seed: 1 });
    expect(r.jobs[0]!.runs.map((x) => [x.end, x.endAtMs])).toEqual([["limit", T0 + 100 * S]]);
    expect(r.jobs[0]!.completedAtMs).toBeNull();
  });

  it("preempts a borrower for a tier's guarantee; the victim resumes from its checkpoint", () => {
    const q = policy(
      [tier("national", 4), tier("global", 0, { reclaimByPreemption: false })],
      [tenant("nat", "national"), tenant("glo", "global")],
    );
    // global borrows the node; national arrives at 650 s, after global's minimum runtime (600 s by default);
    // global checkpoints every 100 s.
    const g = job("glo", {
      gpus: 4,
      estimatedRuntimeS: 1000,
      limitS: 2000,
      checkpointIntervalS: 100,
      submittedAtMs: T0,
    });
    const n = job("nat", { gpus: 4, estimatedRuntimeS: 300, limitS: 600, submittedAtMs: T0 + 650 * S });
    const r = simulate({ facility: one, policy: q, workload: [sim(g, 1000), sim(n, 300)], seed: 1 });
    const rg = r.jobs.find((x) => x.jobId === g.id)!;
    // Ran 650 s, 600 s saved, 50 s × 4 GPUs lost; then waits for national (650 → 950 s) and runs its last 400 s.
    expect(rg.runs).toEqual([
      {
        startAtMs: T0,
        endAtMs: T0 + 650 * S,
        siteId: "no",
        gpus: 4,
        gpuModel: "GB300",
        wholeNodes: [{ first: "no/r0n0", count: 1 }],
        partNodes: [],
        end: "preempted",
        lostGpuS: 200,
      },
      {
        startAtMs: T0 + 950 * S,
        endAtMs: T0 + 1350 * S,
        siteId: "no",
        gpus: 4,
        gpuModel: "GB300",
        wholeNodes: [{ first: "no/r0n0", count: 1 }],
        partNodes: [],
        end: "completed",
        lostGpuS: 0,
      },
    ]);
    expect(r.lostToPreemptionGpuS).toBe(200);
  });

  it("kills the jobs of a failed node, restarts them from their checkpoint and counts the loss", () => {
    const long = job("a", {
      gpus: 4,
      estimatedRuntimeS: 36_000,
      limitS: 72_000,
      checkpointIntervalS: 600,
      submittedAtMs: T0,
    });
    const r = simulate({
      facility: twoSingleNodeRacks,
      policy: p,
      workload: [sim(long)],
      seed: 7,
      toMs: T0 + 30 * 86_400_000,
      reliability: [{ nodeTypeId: "gb300", mtbfS: 20_000, repairS: 3600 }],
    });
    const runs = r.jobs[0]!.runs;
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)!.end).toBe("completed");
    const failed = runs.filter((x) => x.end === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(r.lostToFailuresGpuS).toBe(failed.reduce((s, x) => s + x.lostGpuS, 0));
    // Work done = sum of run lengths minus what was lost: exactly the job's runtime.
    const ranS = runs.reduce((s, x) => s + (x.endAtMs - x.startAtMs) / 1000, 0);
    expect(ranS - r.lostToFailuresGpuS / 4).toBeCloseTo(36_000, 6);
    for (const f of failed) expect(f.lostGpuS).toBeLessThan(4 * 600);
  });

  it("waits for a start window, then starts the job", () => {
    const a = job("a", {
      gpus: 4,
      estimatedRuntimeS: 60,
      limitS: 60,
      submittedAtMs: T0,
      notBeforeAtMs: T0 + 3600 * S,
    });
    const r = simulate({ facility: one, policy: p, workload: [sim(a)], seed: 1 });
    expect(r.jobs[0]!.runs[0]!.startAtMs).toBe(T0 + 3600 * S);
  });

  it("counts jobs it cannot run instead of dropping them silently", () => {
    const huge = job("a", { gpus: 8, submittedAtMs: T0 });
    const stranger = job("nobody", { gpus: 1, submittedAtMs: T0 });
    const r = simulate({ facility: one, policy: p, workload: [sim(huge), sim(stranger)], seed: 1 });
    expect(r.jobs).toEqual([]);
    expect(r.skipped).toEqual([
      { reason: "never runs here: too-large", count: 1 },
      { reason: "never runs here: unknown-tenant", count: 1 },
    ]);
  });

  it("gives byte-identical results for the same input and seed", () => {
    const two = compileFacility(facility({ id: "no", racks: 2, nodesPerRack: 2 }));
    const workload = Array.from({ length: 60 }, (_, k) =>
      sim(
        job(k % 2 ? "a" : "b", {
          gpus: 1 + (k % 8),
          estimatedRuntimeS: 600 + 97 * k,
          limitS: 2000 + 97 * k,
          checkpointIntervalS: 300,
          submittedAtMs: T0 + k * 120 * S,
        }),
        500 + 61 * k,
      ),
    );
    const input = {
      facility: two,
      policy: p,
      workload,
      seed: 42,
      toMs: T0 + 30 * 86_400_000,
      reliability: [{ nodeTypeId: "gb300", mtbfS: 50_000, repairS: 1800 }],
    };
    expect(JSON.stringify(simulate(input))).toBe(JSON.stringify(simulate(input)));
  });

  it("counts a gang that fits in GPUs but not in nodes as never running here, and runs the rest", () => {
    // One node of 4 GPUs: a 2 × 2 gang asks for 4 GPUs but needs two nodes.
    const gang = job("a", {
      nodes: 2,
      gpusPerNode: 2,
      estimatedRuntimeS: 100,
      limitS: 100,
      submittedAtMs: T0,
    });
    const small = job("b", { gpus: 2, estimatedRuntimeS: 7200, limitS: 7200, submittedAtMs: T0 });
    const r = simulate({ facility: one, policy: p, workload: [sim(gang), sim(small)], seed: 1 });
    expect(r.jobs.map((j) => j.jobId)).toEqual([small.id]);
    expect(r.skipped).toEqual([{ reason: "never runs here: too-few-nodes", count: 1 }]);
    expect(r.jobs[0]!.completedAtMs).toBe(T0 + 7200 * S);
  });

  it("runs a 2 × 2 gang on two one-node domains: the domain has the GPUs but not the nodes", () => {
    const gang = job("a", {
      nodes: 2,
      gpusPerNode: 2,
      estimatedRuntimeS: 100,
      limitS: 100,
      submittedAtMs: T0,
    });
    const r = simulate({ facility: twoSingleNodeRacks, policy: p, workload: [sim(gang)], seed: 1 });
    expect(r.jobs[0]!.runs.map((x) => [x.startAtMs - T0, x.end])).toEqual([[0, "completed"]]);
  });

  it("refuses node failures without an end of the period, which might never come", () => {
    const input = {
      facility: one,
      policy: p,
      workload: [],
      seed: 1,
      reliability: [{ nodeTypeId: "gb300", mtbfS: 50_000, repairS: 1800 }],
    };
    expect(() => simulate(input)).toThrow(/need an end of the simulated period/);
  });

  it("samples the facility at a fixed interval", () => {
    const a = job("a", { gpus: 2, estimatedRuntimeS: 7200, limitS: 7200, submittedAtMs: T0 });
    const r = simulate({ facility: one, policy: p, workload: [sim(a)], seed: 1, sampleIntervalS: 3600 });
    expect(r.samples.map((s) => [s.atMs - T0, s.allocatedGpus, s.availableGpus])).toEqual([
      [0, 2, 4],
      [3600 * S, 2, 4],
      [7200 * S, 0, 4],
    ]);
  });

  it("takes arrivals in time order whatever order the workload lists them in", () => {
    const late = job("a", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 + 50 * S });
    const early = job("b", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 });
    const r = simulate({ facility: one, policy: p, workload: [sim(late), sim(early)], seed: 1 });
    const startS = (id: string) => (r.jobs.find((j) => j.jobId === id)!.runs[0]!.startAtMs - T0) / S;
    expect([startS(early.id), startS(late.id)]).toEqual([0, 100]);
  });

  it("runs one full pass when due after quick passes that could not examine the whole queue", () => {
    // The node is busy for a day; 200 jobs arrive 10 s apart and wait; a quick pass examines one job.
    const busy = job("a", { gpus: 4, estimatedRuntimeS: 86_400, limitS: 86_400, submittedAtMs: T0 });
    const waiting = Array.from({ length: 200 }, (_, k) =>
      job("b", { gpus: 4, estimatedRuntimeS: 60, limitS: 60, submittedAtMs: T0 + (k + 1) * 10 * S }),
    );
    const toMs = T0 + 7200 * S;
    const r = simulate({
      facility: one,
      policy: p,
      workload: [busy, ...waiting].map((j) => sim(j)),
      seed: 1,
      toMs,
      quickPassDepth: 1,
    });
    // A pass per arrival, and at most a full pass per 300 s besides: not a chain of wake-ups per quick pass.
    expect(r.passes).toBeLessThanOrEqual(201 + 7200 / 300);
  });

  it("tells the scheduler each tenant's usage as runs end, so fair share favours the tenant that ran less", () => {
    const ran = job("a", { gpus: 4, estimatedRuntimeS: 1000, limitS: 1000, submittedAtMs: T0 });
    // Both wait for the node; a's job was submitted first, but a has just used it for 1,000 s.
    const again = job("a", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 + 500 * S });
    const other = job("b", { gpus: 4, estimatedRuntimeS: 100, limitS: 100, submittedAtMs: T0 + 600 * S });
    const r = simulate({
      facility: one,
      policy: p,
      workload: [ran, again, other].map((j) => sim(j)),
      seed: 1,
    });
    const startS = (id: string) => (r.jobs.find((j) => j.jobId === id)!.runs[0]!.startAtMs - T0) / S;
    expect([startS(other.id), startS(again.id)]).toEqual([1000, 1100]);
  });
});
