import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { availableGpuHours, computeMetrics, jainIndex, nearestRank } from "./metrics.ts";
import type { SimJobRecord, SimRun, SimSample, SimulationResult } from "./types.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const S = 1000; // one second in ms: the hand cases are in seconds from epoch 0
const H = 3600; // GPU-seconds per GPU-hour

function run(
  startS: number,
  endS: number,
  gpus: number,
  end: SimRun["end"] = "completed",
  lostGpuS = 0,
): SimRun {
  return {
    startAtMs: startS * S,
    endAtMs: endS * S,
    siteId: "s",
    gpuModel: "GB300",
    gpus,
    wholeNodes: [],
    partNodes: [],
    end,
    lostGpuS,
  };
}

function job(
  jobId: string,
  tenantId: string,
  tierId: string,
  gpus: number,
  submittedS: number,
  runtimeS: number,
  runs: SimRun[],
  more: Partial<SimJobRecord> = {},
): SimJobRecord {
  const last = runs[runs.length - 1];
  return {
    jobId,
    tenantId,
    tierId,
    gpus,
    submittedAtMs: submittedS * S,
    runtimeS,
    deadlineAtMs: null,
    runs,
    completedAtMs: last?.end === "completed" ? last.endAtMs : null,
    ...more,
  };
}

function sample(atS: number, availableGpus: number, allocatedGpus = 0, strandedGpus = 0): SimSample {
  return { atMs: atS * S, availableGpus, allocatedGpus, queuedByTier: {}, allocatedByTier: {}, strandedGpus };
}

function result(fromS: number, toS: number, jobs: SimJobRecord[], samples: SimSample[]): SimulationResult {
  return {
    fromMs: fromS * S,
    toMs: toS * S,
    seed: 1,
    jobs,
    samples,
    skipped: [],
    lostToFailuresGpuS: 0,
    lostToPreemptionGpuS: 0,
    events: 0,
    passes: 0,
  };
}

describe("computeMetrics on a hand-worked 2-GPU facility over [0 s, 40 s]", () => {
  // Timeline (GPUs in use never exceed 2):
  //   A: tenant a (tier t1), 1 GPU, submitted 0,  runs  0–10, runtime 10 → wait 0,  response 10
  //   B: tenant b (tier t1), 2 GPUs, submitted 0, runs 10–30, runtime 20 → wait 10, response 30
  //   C: tenant a (tier t1), 1 GPU, submitted 5,  runs 30–35, runtime 5  → wait 25, response 30
  //   D: tenant c (tier t2), 2 GPUs, submitted 20, never starts, runtime 10, deadline 35
  const jobs = [
    job("A", "a", "t1", 1, 0, 10, [run(0, 10, 1)]),
    job("B", "b", "t1", 2, 0, 20, [run(10, 30, 2)]),
    job("C", "a", "t1", 1, 5, 5, [run(30, 35, 1)]),
    job("D", "c", "t2", 2, 20, 10, [], { deadlineAtMs: 35 * S }),
  ];
  // Stranded: at 0 one GPU is free but B needs 2; at 30 one GPU is free but D needs 2.
  const samples = [sample(0, 2, 1, 1), sample(10, 2, 2, 0), sample(20, 2, 2, 0), sample(30, 2, 1, 1)];
  const m = computeMetrics(result(0, 40, jobs, samples), { tiers: ["t1", "t2"] });

  it("utilisation: 55 GPU-s allocated (1×10 + 2×20 + 1×5) of 80 available (2 × 40)", () => {
    expect(m.availableGpuHours).toBeCloseTo(80 / H, 12);
    expect(m.overall.gpuHoursDelivered).toBeCloseTo(55 / H, 12);
    expect(m.overall.utilisation).toBeCloseTo(55 / 80, 12);
    // Per tier: the tier's GPU-hours over the facility's available GPU-hours.
    expect(m.tiers[0]!.utilisation).toBeCloseTo(55 / 80, 12);
    expect(m.tiers[1]!.utilisation).toBe(0);
  });

  it("waits of started jobs [0, 10, 25]: p50 = rank ⌈1.5⌉ = 10, p95 = p99 = rank 3 = 25, mean 35/3", () => {
    expect(m.overall.waitS).toEqual({ count: 3, mean: 35 / 3, p50: 10, p95: 25, p99: 25, max: 25 });
  });

  it("the never-started job is counted apart, its wait so far (40 − 20 = 20 s) censored", () => {
    expect(m.overall.neverStarted).toBe(1);
    expect(m.overall.censoredWaitS).toEqual({ count: 1, mean: 20, p50: 20, p95: 20, p99: 20, max: 20 });
    expect(m.overall.jobsSubmitted).toBe(4);
    expect(m.overall.jobsStarted).toBe(3);
    expect(m.overall.jobsCompleted).toBe(3);
  });

  it("bounded slowdown (τ = 10 s): A 10/10 = 1, B 30/20 = 1.5, C 30/max(5, 10) = 3", () => {
    expect(m.overall.completionTimeS).toMatchObject({ count: 3, p50: 30, max: 30 });
    expect(m.overall.completionTimeS.mean).toBeCloseTo(70 / 3, 12);
    expect(m.overall.boundedSlowdown).toMatchObject({ count: 3, p50: 1.5, p95: 3, p99: 3, max: 3 });
    expect(m.overall.boundedSlowdown.mean).toBeCloseTo(5.5 / 3, 12);
  });

  it("Jain's index: shares a = 15/15 = 1, b = 40/40 = 1, c = 0/20 = 0 → (2)² / (3 · 2) = 2/3", () => {
    expect(m.tenants.map((t) => [t.tenantId, t.normalisedShare])).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 0],
    ]);
    expect(m.overall.fairness).toBeCloseTo(2 / 3, 12);
    expect(m.tiers[0]!.fairness).toBe(1); // a and b both got all they asked for
    expect(m.tiers[1]!.fairness).toBeNull(); // c alone with nothing: 0/0
  });

  it("deadline: D was not done by 40 s with a deadline at 35 s", () => {
    expect(m.overall.deadlineMisses).toBe(1);
    expect(m.tiers.map((t) => t.deadlineMisses)).toEqual([0, 1]);
  });

  it("fragmentation over samples [0.5, 0, 0, 0.5]: mean 0.25, p95 0.5", () => {
    expect(m.fragmentation).toEqual({ samples: 4, mean: 0.25, p95: 0.5 });
  });

  it("per tier and tenant counts and GPU-hours", () => {
    expect(
      m.tiers.map((t) => [t.tierId, t.jobsSubmitted, t.jobsStarted, t.jobsCompleted, t.tenants]),
    ).toEqual([
      ["t1", 3, 3, 3, 2],
      ["t2", 1, 0, 0, 1],
    ]);
    expect(m.tenants[0]!.gpuHoursDelivered).toBeCloseTo(15 / H, 12);
    expect(m.tenants[0]!.gpuHoursDemanded).toBeCloseTo(15 / H, 12);
    expect(m.tenants[2]!.gpuHoursDemanded).toBeCloseTo(20 / H, 12);
  });

  it("is plain JSON: no NaN, no undefined", () => {
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe("computeMetrics edge cases", () => {
  it("no jobs: zero counts, null percentiles and fairness, utilisation 0", () => {
    const m = computeMetrics(result(0, 10, [], [sample(0, 4)]), { tiers: ["t1"] });
    expect(m.overall.jobsSubmitted).toBe(0);
    expect(m.overall.utilisation).toBe(0);
    expect(m.overall.waitS).toEqual({ count: 0, mean: null, p50: null, p95: null, p99: null, max: null });
    expect(m.overall.fairness).toBeNull();
    expect(m.tiers).toHaveLength(1);
    expect(m.tenants).toEqual([]);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it("no samples: availability unknown, so utilisation is null rather than infinite", () => {
    const m = computeMetrics(result(0, 10, [job("A", "a", "t1", 1, 0, 5, [run(0, 5, 1)])], []), {
      tiers: [],
    });
    expect(m.availableGpuHours).toBeNull();
    expect(m.overall.utilisation).toBeNull();
    expect(m.fragmentation).toEqual({ samples: 0, mean: null, p95: null });
  });

  it("a job preempted once then completed", () => {
    // 2 GPUs, runtime 20 s, submitted 0: runs 0–8 (preempted, 16 GPU-s lost), waits, reruns 12–32.
    // Wait 0 (first start), response 32, slowdown 32/20 = 1.6; received 16 + 40 = 56 GPU-s of 40 demanded.
    const e = job("E", "a", "t1", 2, 0, 20, [run(0, 8, 2, "preempted", 16), run(12, 32, 2)]);
    const r = { ...result(0, 40, [e], [sample(0, 2)]), lostToPreemptionGpuS: 16 };
    const m = computeMetrics(r, { tiers: ["t1"] });
    expect(m.overall.waitS.p50).toBe(0);
    expect(m.overall.boundedSlowdown.p50).toBeCloseTo(1.6, 12);
    expect(m.overall.preemptions).toBe(1);
    expect(m.overall.gpuHoursLostToPreemption).toBeCloseTo(16 / H, 12);
    expect(m.overall.gpuHoursLostToFailures).toBe(0);
    expect(m.lostGpuHours.preemption).toBeCloseTo(16 / H, 12);
    expect(m.tenants[0]!.normalisedShare).toBeCloseTo(56 / 40, 12);
    expect(m.overall.utilisation).toBeCloseTo(56 / 80, 12);
  });

  it("runs extending past toMs or starting before fromMs count only their overlap", () => {
    // Period [100, 200]: a 4-GPU run 150–250 counts 50 s; a 2-GPU run 50–120 counts 20 s → 240 GPU-s.
    const jobs = [
      job("late", "a", "t1", 4, 140, 100, [run(150, 250, 4, "unfinished")]),
      job("early", "b", "t1", 2, 40, 70, [run(50, 120, 2)]),
    ];
    const m = computeMetrics(result(100, 200, jobs, [sample(100, 8)]), { tiers: ["t1"] });
    expect(m.overall.gpuHoursDelivered).toBeCloseTo(240 / H, 12);
    expect(m.overall.utilisation).toBeCloseTo(240 / 800, 12);
    // "late" started but did not finish: no completion time or slowdown for it.
    expect(m.overall.jobsStarted).toBe(2);
    expect(m.overall.jobsCompleted).toBe(1);
    // "early" was submitted before the period: it has no demand in it, so only "late" has a share.
    expect(m.tenants.find((t) => t.tenantId === "b")!.normalisedShare).toBeNull();
    expect(m.tenants.find((t) => t.tenantId === "a")!.normalisedShare).toBeCloseTo(200 / 400, 12);
  });

  it("deadlines: late completion misses; unfinished with a deadline at or after toMs does not yet", () => {
    const jobs = [
      job("late", "a", "t1", 1, 0, 10, [run(0, 10, 1)], { deadlineAtMs: 9 * S }),
      job("onTime", "a", "t1", 1, 0, 10, [run(0, 10, 1)], { deadlineAtMs: 10 * S }),
      job("open", "a", "t1", 1, 0, 10, [], { deadlineAtMs: 20 * S }),
    ];
    const m = computeMetrics(result(0, 20, jobs, [sample(0, 2)]), { tiers: ["t1"] });
    expect(m.overall.deadlineMisses).toBe(1);
  });

  it("failures are counted from runs that ended failed", () => {
    const f = job("F", "a", "t1", 4, 0, 10, [run(0, 5, 4, "failed", 12), run(6, 16, 4)]);
    const m = computeMetrics(
      { ...result(0, 20, [f], [sample(0, 4)]), lostToFailuresGpuS: 12 },
      { tiers: [] },
    );
    expect(m.overall.gpuHoursLostToFailures).toBeCloseTo(12 / H, 12);
    expect(m.lostGpuHours.failures).toBeCloseTo(12 / H, 12);
    expect(m.overall.preemptions).toBe(0);
  });

  it("counts preemptions of runs shorter than the minimum runtime, 600 s unless given", () => {
    const jobs = [
      job("young", "a", "t1", 4, 0, 2000, [run(0, 599, 4, "preempted"), run(700, 2101, 4)]),
      job("old", "b", "t1", 4, 0, 2000, [run(0, 600, 4, "preempted"), run(700, 2100, 4)]),
      job("failedYoung", "b", "t1", 4, 0, 10, [run(0, 5, 4, "failed"), run(6, 16, 4)]),
    ];
    const m = computeMetrics(result(0, 3000, jobs, [sample(0, 12)]), { tiers: ["t1"] });
    expect(m.overall.preemptions).toBe(2);
    expect(m.overall.preemptionsBeforeMinRuntime).toBe(1);
    expect(m.minRuntimeS).toBe(600);
    expect(m.tenants.find((t) => t.tenantId === "a")!.preemptionsBeforeMinRuntime).toBe(1);
    const longer = computeMetrics(result(0, 3000, jobs, [sample(0, 12)]), {
      tiers: ["t1"],
      minRuntimeS: 601,
    });
    expect(longer.overall.preemptionsBeforeMinRuntime).toBe(2);
  });

  it("lists tiers in the given order, then unlisted tiers with jobs by id", () => {
    const jobs = [job("x", "a", "zeta", 1, 0, 1, []), job("y", "b", "alpha", 1, 0, 1, [])];
    const m = computeMetrics(result(0, 10, jobs, []), { tiers: ["national", "global"] });
    expect(m.tiers.map((t) => t.tierId)).toEqual(["national", "global", "alpha", "zeta"]);
    expect(m.tenants.map((t) => t.tenantId)).toEqual(["b", "a"]);
  });

  it("a custom bounded-slowdown threshold", () => {
    // runtime 5 s, response 30 s: τ = 10 → 3; τ = 60 → max(1, 30/60) = 1.
    const jobs = [job("C", "a", "t1", 1, 0, 5, [run(25, 30, 1)])];
    const m = computeMetrics(result(0, 40, jobs, [sample(0, 1)]), {
      tiers: [],
      boundedSlowdownThresholdS: 60,
    });
    expect(m.boundedSlowdownThresholdS).toBe(60);
    expect(m.overall.boundedSlowdown.p50).toBe(1);
  });
});

describe("helpers", () => {
  it("nearest-rank percentiles pick actual values", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(xs, 0)).toBe(1);
    expect(nearestRank(xs, 50)).toBe(5);
    expect(nearestRank(xs, 95)).toBe(10);
    expect(nearestRank(xs, 100)).toBe(10);
    expect(nearestRank([], 50)).toBeNull();
  });

  it("availability is a step function; the first sample also covers the time before it", () => {
    // [0, 100]: 4 GPUs until 50 (first sample at 20 stands for 0–20 too), then 2 → 4×50 + 2×50 = 300.
    expect(availableGpuHours([sample(20, 4), sample(50, 2)], 0, 100 * S)! * H).toBeCloseTo(300, 9);
    // Samples outside the period are clipped: 8 GPUs from −10 hold until 30.
    expect(availableGpuHours([sample(-10, 8), sample(30, 0)], 0, 100 * S)! * H).toBeCloseTo(240, 9);
  });

  it("Jain's index: equal shares give 1, one tenant with everything gives 1/n", () => {
    expect(jainIndex([0.5, 0.5, 0.5])).toBeCloseTo(1, 12);
    expect(jainIndex([1, 0, 0, 0])).toBeCloseTo(1 / 4, 12);
    expect(jainIndex([null, 1])).toBe(1);
    expect(jainIndex([])).toBeNull();
  });
});

describe("metric properties", () => {
  const periodS = 1000;

  it("utilisation ∈ [0, 1] whenever runs never exceed availability", () => {
    // Availability varies but never drops below `floor`; all runs together hold at most `floor` GPUs, so at
    // no instant do they exceed what is available, however they overlap, start early or end late.
    const arb = fc.integer({ min: 1, max: 64 }).chain((floor) =>
      fc.record({
        floor: fc.constant(floor),
        samples: fc.array(
          fc.record({ atS: fc.integer({ min: -100, max: periodS }), extra: fc.integer({ min: 0, max: 64 }) }),
          { minLength: 1, maxLength: 20 },
        ),
        runs: fc.array(
          fc.record({
            startS: fc.integer({ min: -200, max: periodS + 200 }),
            lengthS: fc.integer({ min: 0, max: 2 * periodS }),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 12 },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ floor, samples, runs }) => {
        const weights = runs.map((r) => r.share);
        const total = weights.reduce((a, b) => a + b, 0);
        let budget = floor;
        const jobs = runs.map((r, i) => {
          const gpus = total > 0 ? Math.min(budget, Math.floor((floor * r.share) / total)) : 0;
          budget -= gpus;
          return job(`j${i}`, `t${i % 3}`, "t1", gpus, r.startS, r.lengthS, [
            run(r.startS, r.startS + r.lengthS, gpus),
          ]);
        });
        const m = computeMetrics(
          result(
            0,
            periodS,
            jobs,
            samples.map((s) => sample(s.atS, floor + s.extra)),
          ),
          { tiers: ["t1"] },
        );
        const u = m.overall.utilisation!;
        return u >= 0 && u <= 1 + 1e-12;
      }),
      { numRuns: RUNS },
    );
  });

  it("Jain's index ∈ [1/n, 1] over the n tenants with demand", () => {
    const jobArb = fc.record({
      tenant: fc.constantFrom("a", "b", "c", "d", "e"),
      gpus: fc.integer({ min: 1, max: 16 }),
      submittedS: fc.integer({ min: -50, max: periodS }),
      runtimeS: fc.integer({ min: 1, max: 500 }),
      runs: fc.array(
        fc.record({
          startS: fc.integer({ min: 0, max: periodS + 100 }),
          lengthS: fc.integer({ min: 0, max: 600 }),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(jobArb, { maxLength: 15 }), (specs) => {
        const jobs = specs.map((s, i) =>
          job(
            `j${i}`,
            s.tenant,
            "t1",
            s.gpus,
            s.submittedS,
            s.runtimeS,
            s.runs.map((r) => run(r.startS, r.startS + r.lengthS, s.gpus, "unfinished")),
          ),
        );
        const m = computeMetrics(result(0, periodS, jobs, [sample(0, 100)]), { tiers: ["t1"] });
        const n = m.tenants.filter((t) => t.normalisedShare !== null).length;
        const j = m.overall.fairness;
        if (j === null) return true;
        return j >= 1 / n - 1e-12 && j <= 1 + 1e-12 && JSON.stringify(m).includes("NaN") === false;
      }),
      { numRuns: RUNS },
    );
  });
});
