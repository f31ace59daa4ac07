import { describe, expect, it } from "vitest";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import { totalGpus } from "../model/job-shape.ts";
import type { Job } from "../model/types.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import type { SimJob } from "../simulator/types.ts";
import { osloHourOfWeek } from "./arrival-times.ts";
import { CLASS_RATES, DEFAULT_LATENCY_TARGETS, type JobClass } from "./synthetic-classes.ts";
import { type SyntheticWorkloadOptions, syntheticWorkload } from "./synthetic-workload.ts";

const DAY_MS = 86_400_000;
const policy = loadPolicyFile("policies/default.yaml");
const FROM = Date.parse("2026-03-02T00:00:00Z");
const base: SyntheticWorkloadOptions = {
  seed: 1,
  fromMs: FROM,
  toMs: FROM + 28 * DAY_MS,
  tenants: policy.tenants,
  tiers: policy.tiers,
  scale: 1,
  gpuModels: ["GB300", "H100"],
};
const gen = (over: Partial<SyntheticWorkloadOptions> = {}) => syntheticWorkload({ ...base, ...over });
const gpusOf = (j: Job) => totalGpus(j.shape);
const classOf = (s: SimJob) => s.job.labels.class as JobClass;
const four = gen();
const ofClass = (cls: JobClass) => four.filter((s) => classOf(s) === cls);

describe("syntheticWorkload", () => {
  it("is deterministic: the same seed gives deep-equal jobs, another seed other jobs", () => {
    const week = { toMs: FROM + 7 * DAY_MS };
    expect(gen(week)).toEqual(gen(week));
    expect(gen({ ...week, seed: 2 })).not.toEqual(gen(week));
  });

  it("sorts jobs by submission inside [from, to) and numbers them in that order", () => {
    for (let i = 1; i < four.length; i++) {
      expect(four[i]!.job.submittedAtMs).toBeGreaterThanOrEqual(four[i - 1]!.job.submittedAtMs);
    }
    expect(four[0]!.job.submittedAtMs).toBeGreaterThanOrEqual(base.fromMs);
    expect(four.at(-1)!.job.submittedAtMs).toBeLessThan(base.toMs);
    expect(four[0]!.job.id).toBe("syn-0000001");
    expect(new Set(four.map((s) => s.job.id)).size).toBe(four.length);
  });

  it("arrives at each class's documented daily rate times scale", () => {
    for (const [cls, rate] of Object.entries(CLASS_RATES) as [JobClass, (typeof CLASS_RATES)[JobClass]][]) {
      const expected = rate.perDay * 28;
      const n = ofClass(cls).length;
      // Frontier has ~170 jobs in four weeks, so its Poisson noise is ~8 %.
      const tolerance = cls === "frontier" ? 0.25 : 0.1;
      expect(Math.abs(n / expected - 1), `${cls}: ${n} vs ${expected}`).toBeLessThan(tolerance);
    }
  });

  it("multiplies arrivals by scale and by the class mix", () => {
    const week = { toMs: FROM + 7 * DAY_MS };
    const ratio = gen({ ...week, scale: 2 }).length / gen(week).length;
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
    expect(gen({ ...week, scale: 0 })).toEqual([]);
    const noFrontier = gen({ ...week, classMix: { frontier: 0 }, gpuModels: ["H100"] });
    expect(noFrontier.some((s) => classOf(s) === "frontier")).toBe(false);
    // Each class has its own stream: leaving one out does not change the others' jobs.
    const strip = (jobs: SimJob[]) =>
      jobs.filter((s) => classOf(s) === "research").map((s) => ({ ...s.job, id: "" }));
    expect(strip(gen({ ...week, classMix: { startup: 0 } }))).toEqual(strip(gen(week)));
  });

  it("refuses frontier training without GB300 GPUs", () => {
    expect(() => gen({ gpuModels: ["H100"] })).toThrow(/frontier training needs GB300/);
  });

  it("sends startups in office hours in Oslo, weekdays, as bursts of similar jobs", () => {
    const startups = ofClass("startup");
    const office = startups.filter((s) => {
      const h = osloHourOfWeek(s.job.submittedAtMs);
      return h < 5 * 24 && h % 24 >= 8 && h % 24 < 19; // a burst may run past 18:00 by minutes
    });
    expect(office.length / startups.length).toBeGreaterThan(0.8);
    const weekend = startups.filter((s) => osloHourOfWeek(s.job.submittedAtMs) >= 5 * 24);
    // Weekend hours have 5 % of the office-hour rate: 2.4 of 59.4 rate-hours a week, 4 %.
    expect(weekend.length / startups.length).toBeLessThan(0.06);
    for (const { job } of startups) {
      expect(job.shape.kind).toBe("gpus");
      expect([1, 2, 4, 8]).toContain(gpusOf(job));
    }
    // Bursts: most jobs follow one of the same tenant within two minutes (all but a burst's first: ~82 %).
    const lastOf = new Map<string, number>();
    let sameTenantSoon = 0;
    for (const { job } of startups) {
      const last = lastOf.get(job.tenantId);
      if (last !== undefined && job.submittedAtMs - last <= 120_000) sameTenantSoon++;
      lastOf.set(job.tenantId, job.submittedAtMs);
    }
    expect(sameTenantSoon / startups.length).toBeGreaterThan(0.75);
  });

  it("gives research 8–256 GPU gangs, and a deadline 2–7 days out to about 60 %", () => {
    const research = ofClass("research");
    for (const { job } of research) {
      expect(job.shape).toMatchObject({ kind: "gang", gpusPerNode: 4 });
      expect(gpusOf(job)).toBeGreaterThanOrEqual(8);
      expect(gpusOf(job)).toBeLessThanOrEqual(256);
      if (job.deadlineAtMs !== null) {
        const daysOut = (job.deadlineAtMs - job.submittedAtMs) / DAY_MS;
        expect(daysOut).toBeGreaterThanOrEqual(2);
        expect(daysOut).toBeLessThanOrEqual(8.01);
        expect(job.deadlineAtMs - job.submittedAtMs).toBeGreaterThanOrEqual(job.limitS * 1000);
      }
    }
    const withDeadline = research.filter((s) => s.job.deadlineAtMs !== null).length / research.length;
    expect(withDeadline).toBeCloseTo(0.6, 1);
  });

  it("gives frontier training 512–4,096 GB300 GPUs for days, checkpointing every 1–3 h", () => {
    const frontier = ofClass("frontier");
    expect(frontier.length).toBeGreaterThan(100);
    for (const { job } of frontier) {
      expect(job.shape).toMatchObject({ kind: "gang", gpusPerNode: 4 });
      expect(gpusOf(job)).toBeGreaterThanOrEqual(512);
      expect(gpusOf(job)).toBeLessThanOrEqual(4096);
      expect(job.gpuModels).toEqual(["GB300"]);
      expect(job.estimatedRuntimeS).toBeGreaterThanOrEqual(86_400);
      expect(job.estimatedRuntimeS).toBeLessThanOrEqual(14 * 86_400);
      expect(job.checkpointIntervalS).toBeGreaterThanOrEqual(3600);
      expect(job.checkpointIntervalS).toBeLessThanOrEqual(3 * 3600);
    }
  });

  it("gives inference services 8–64 GPUs for weeks with a latency bound to a user region", () => {
    for (const { job } of ofClass("inference")) {
      expect([8, 16, 32, 64]).toContain(gpusOf(job));
      expect(job.estimatedRuntimeS).toBeGreaterThanOrEqual(7 * 86_400);
      expect(job.estimatedRuntimeS).toBeLessThanOrEqual(56 * 86_400);
      const target = DEFAULT_LATENCY_TARGETS.find((t) => t.region === job.maxLatency?.region);
      expect(target?.ms).toBe(job.maxLatency?.ms);
    }
  });

  it("runs each job for its estimate × a factor in [0.3, 1.0], under a limit of 1.2–2 × the estimate", () => {
    for (const { job, runtimeS } of four) {
      expect(runtimeS).toBeGreaterThanOrEqual(Math.floor(job.estimatedRuntimeS * 0.3));
      expect(runtimeS).toBeLessThanOrEqual(job.estimatedRuntimeS);
      expect(job.limitS).toBeGreaterThanOrEqual(job.estimatedRuntimeS * 1.2);
      expect(job.limitS).toBeLessThanOrEqual(job.estimatedRuntimeS * 2 + 60);
    }
  });

  it("gives jobs only to tenants whose quota admits them, frontier mostly to the last tier", () => {
    const byId = new Map(policy.tenants.map((t) => [t.id, t]));
    for (const { job } of four) {
      const quota = byId.get(job.tenantId)!.quotaGpus;
      if (quota !== null) expect(gpusOf(job)).toBeLessThanOrEqual(quota);
    }
    const frontier = ofClass("frontier");
    const global = frontier.filter((s) => byId.get(s.job.tenantId)!.tierId === "global").length;
    expect(global / frontier.length).toBeGreaterThan(0.45);
  });

  it("has default latency targets that some site of the default facility meets", () => {
    const facility = loadFacilityFile("facilities/stargate-norway.yaml");
    for (const t of DEFAULT_LATENCY_TARGETS) {
      const ok = facility.sites.filter(
        (s) =>
          s.operator === "facility" &&
          (s.latencyMs[t.region] ?? Number.POSITIVE_INFINITY) <= t.ms &&
          (t.residency === null || t.residency.some((r) => s.jurisdictions.includes(r))),
      );
      expect(ok.length, t.region).toBeGreaterThan(0);
    }
  });

  it("generates a year at scale 1 (about a million jobs) in a few seconds", () => {
    const start = performance.now();
    const year = syntheticWorkload({ ...base, fromMs: FROM, toMs: FROM + 365 * DAY_MS });
    const ms = performance.now() - start;
    // Printed, not asserted: timing depends on the machine.
    console.log(`syntheticWorkload: ${year.length} jobs for a year at scale 1 in ${ms.toFixed(0)} ms`);
    expect(year.length).toBeGreaterThan(950_000);
    expect(year.length).toBeLessThan(1_050_000);
  });
});
