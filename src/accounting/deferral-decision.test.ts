import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { DeferralPolicy, Job } from "../model/types.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { simulate } from "../simulator/simulate.ts";
import { deferJob } from "./defer-job.ts";
import { asSubmitted, decideDeferral, withDeferral } from "./deferral-decision.ts";
import type { Signals, SiteSignals } from "./signals.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 200);
const H = 3_600_000;
const CARBON: DeferralPolicy = { signal: "carbon", minSaving: 0.1, maxDelayS: 24 * 3600 };
const OPTED_IN = { deferrable: "true" };

/** Hourly series from T0, carbon and price alike; temperature does not matter to deferral. */
function site(values: readonly number[]): SiteSignals {
  return {
    fromMs: T0,
    outdoorTemperatureC: new Float64Array(values.length),
    carbonGPerKWh: Float64Array.from(values),
    priceEurPerMWh: Float64Array.from(values),
  };
}

function signals(bySite: Record<string, readonly number[]>): Signals {
  return {
    source: "hand-made",
    bySite: new Map(Object.entries(bySite).map(([id, values]) => [id, site(values)])),
  };
}

/** 200 g/kWh now, 60 g/kWh from 03:00 to 06:00, 200 after: a clean night three hours away. */
const DIRTY_THEN_CLEAN = Array.from({ length: 48 }, (_, h) => (h >= 3 && h < 6 ? 60 : 200));

const flexible = (over: Partial<Job> = {}) =>
  job("a", { submittedAtMs: T0, estimatedRuntimeS: 1800, limitS: 3600, labels: OPTED_IN, ...over });

describe("decideDeferral", () => {
  it("defers a job from a dirty hour to the clean hour later, with the saving it brings", () => {
    const j = flexible({ deadlineAtMs: T0 + 12 * H });
    expect(decideDeferral(j, ["no"], signals({ no: DIRTY_THEN_CLEAN }), CARBON)).toEqual({
      untilAtMs: T0 + 3 * H,
      signal: "carbon",
      saving: 0.7,
      deadlineAtMs: T0 + 12 * H,
    });
  });

  it("sizes the run at the hard limit: a deadline that forbids waiting a whole limit keeps the job now", () => {
    // The estimate (30 min) would fit into 03:00–03:30 before a 03:30 deadline; the 3 h limit would not.
    const j = flexible({ limitS: 3 * 3600, deadlineAtMs: T0 + 3.5 * H });
    expect(decideDeferral(j, ["no"], signals({ no: DIRTY_THEN_CLEAN }), CARBON)).toBeNull();
  });

  it("does not defer on a flat signal", () => {
    const flat = Array.from({ length: 48 }, () => 120);
    expect(decideDeferral(flexible(), ["no"], signals({ no: flat }), CARBON)).toBeNull();
  });

  it("does not wait for a saving smaller than minSaving", () => {
    const slightlyCleaner = Array.from({ length: 48 }, (_, h) => (h === 5 ? 190 : 200));
    expect(decideDeferral(flexible(), ["no"], signals({ no: slightlyCleaner }), CARBON)).toBeNull();
  });

  it("bounds the wait of a job without a deadline by maxDelay", () => {
    const cleanLate = Array.from({ length: 48 }, (_, h) => (h >= 30 ? 20 : 200));
    const j = flexible();
    expect(decideDeferral(j, ["no"], signals({ no: cleanLate }), CARBON)).toBeNull();
    expect(
      decideDeferral(j, ["no"], signals({ no: cleanLate }), { ...CARBON, maxDelayS: 40 * 3600 }),
    ).toMatchObject({ untilAtMs: T0 + 30 * H });
  });

  it("takes the best of several allowed sites", () => {
    const cleanerLater = Array.from({ length: 48 }, (_, h) => (h >= 8 && h < 10 ? 20 : 200));
    const both = signals({ no: DIRTY_THEN_CLEAN, se: cleanerLater });
    expect(decideDeferral(flexible(), ["no", "se"], both, CARBON)).toMatchObject({
      untilAtMs: T0 + 8 * H,
      saving: 0.9,
    });
  });

  it("does not defer a job that may run at a site the signals do not know", () => {
    expect(
      decideDeferral(flexible(), ["no", "elsewhere"], signals({ no: DIRTY_THEN_CLEAN }), CARBON),
    ).toBeNull();
  });

  it("waits for cheaper hours on the price signal", () => {
    const price: DeferralPolicy = { ...CARBON, signal: "price" };
    expect(decideDeferral(flexible(), ["no"], signals({ no: DIRTY_THEN_CLEAN }), price)).toMatchObject({
      signal: "price",
      untilAtMs: T0 + 3 * H,
    });
  });

  it("records a deferral by raising the job's earliest start to it", () => {
    const deferral = { untilAtMs: T0 + 3 * H, signal: "carbon", saving: 0.7, deadlineAtMs: null } as const;
    expect(withDeferral(flexible(), deferral)).toMatchObject({ deferral, notBeforeAtMs: T0 + 3 * H });
    expect(withDeferral(flexible(), null)).toMatchObject({ deferral: null, notBeforeAtMs: null });
  });

  it("gives back the job as submitted from the job as stored, deferred or not", () => {
    const deferral = { untilAtMs: T0 + 3 * H, signal: "carbon", saving: 0.7, deadlineAtMs: null } as const;
    for (const asked of [null, T0 + H]) {
      const submitted = { ...flexible(), notBeforeAtMs: asked };
      expect(asSubmitted(withDeferral(submitted, deferral))).toEqual(submitted);
      expect(asSubmitted(withDeferral(submitted, null))).toEqual(submitted);
      expect(asSubmitted(submitted)).toBe(submitted);
    }
  });

  it("never lets a deferred job that runs to its limit end after its deadline", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 800, noNaN: true }), { minLength: 1, maxLength: 72 }),
        fc.integer({ min: 60, max: 24 * 3600 }),
        fc.integer({ min: 0, max: 3 * 3600 }),
        fc.option(fc.integer({ min: 0, max: 72 * 3600 }), { nil: null }),
        fc.integer({ min: 0, max: 3 * 3600 }),
        (values, limitS, submittedAfterS, deadlineAfterS, maxDelayS) => {
          const submittedAtMs = T0 + submittedAfterS * 1000;
          const deadlineAtMs = deadlineAfterS === null ? null : submittedAtMs + deadlineAfterS * 1000;
          const j = flexible({ submittedAtMs, limitS, estimatedRuntimeS: limitS, deadlineAtMs });
          const d = decideDeferral(j, ["no"], signals({ no: values }), { ...CARBON, maxDelayS });
          if (d === null) return;
          expect(d.untilAtMs).toBeGreaterThan(submittedAtMs);
          expect(d.saving).toBeGreaterThanOrEqual(CARBON.minSaving);
          if (deadlineAtMs !== null) expect(d.untilAtMs + limitS * 1000).toBeLessThanOrEqual(deadlineAtMs);
          else expect(d.untilAtMs - submittedAtMs).toBeLessThanOrEqual(maxDelayS * 1000);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("deferJob", () => {
  const f = facility({ id: "no", racks: 1, nodesPerRack: 2 });
  const cf = compileFacility(f);
  const withDeferralPolicy = policy([tier("t", 8)], [tenant("a", "t")], { deferral: CARBON });

  it("leaves a job that never opted in untouched", () => {
    const j = job("a", { submittedAtMs: T0 });
    expect(deferJob(j, cf, withDeferralPolicy, signals({ no: DIRTY_THEN_CLEAN }))).toBe(j);
  });

  it("leaves every job untouched when the policy has no deferral section", () => {
    const j = flexible();
    const without = policy([tier("t", 8)], [tenant("a", "t")]);
    expect(deferJob(j, cf, without, signals({ no: DIRTY_THEN_CLEAN }))).toBe(j);
  });

  it("defers an opted-in job over the sites its residency allows", () => {
    const two = compileFacility(
      facility(
        { id: "no", racks: 1, nodesPerRack: 2 },
        { id: "ae", jurisdictions: ["AE", "GCC"], racks: 1, nodesPerRack: 2 },
      ),
    );
    const cleanerInAbuDhabi = Array.from({ length: 48 }, (_, h) => (h >= 8 && h < 10 ? 20 : 200));
    const both = signals({ no: DIRTY_THEN_CLEAN, ae: cleanerInAbuDhabi });
    expect(deferJob(flexible({ residency: ["EEA"] }), two, withDeferralPolicy, both).deferral).toMatchObject({
      untilAtMs: T0 + 3 * H,
    });
  });

  it("on an otherwise empty facility, never makes a job miss a deadline it met without deferral", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 800, noNaN: true }), { minLength: 1, maxLength: 48 }),
        fc.integer({ min: 60, max: 12 * 3600 }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.option(fc.integer({ min: 60, max: 48 * 3600 }), { nil: null }),
        (values, limitS, runShare, deadlineAfterS) => {
          const j = flexible({
            limitS,
            estimatedRuntimeS: limitS,
            deadlineAtMs: deadlineAfterS === null ? null : T0 + deadlineAfterS * 1000,
          });
          const runtimeS = Math.max(1, Math.floor(limitS * runShare));
          const met = (candidate: Job) => {
            const r = simulate({
              facility: cf,
              policy: withDeferralPolicy,
              workload: [{ job: candidate, runtimeS }],
              seed: 1,
            });
            const done = r.jobs[0]!.completedAtMs;
            return j.deadlineAtMs === null || (done !== null && done <= j.deadlineAtMs);
          };
          const deferred = deferJob(j, cf, withDeferralPolicy, signals({ no: values }));
          if (met(j)) expect(met(deferred)).toBe(true);
        },
      ),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
