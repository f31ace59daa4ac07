// The conservation law of attribution: whatever the schedule, the signals and the facility's energy model,
// the jobs' footprints plus idle capacity's add up to the facility's totals, and a job's months to its total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import type { HeatOfftaker, RenewableSource, SiteEnergy } from "../model/types.ts";
import { accountEnergy, type SiteTotals } from "./account.ts";
import { OFFTAKER_DEFAULTS } from "./energy-defaults.ts";
import { defaultSiteEnergy } from "./energy-schema.ts";
import { FOOTPRINT_FIELDS, type Footprint, sumFootprints } from "./footprint.ts";
import type { Period } from "./period.ts";
import type { ScheduledJob } from "./schedule.ts";
import type { Signals } from "./signals.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const H = 3_600_000;
const PERIOD: Period = {
  fromMs: Date.parse("2026-01-30T00:00:00Z"),
  toMs: Date.parse("2026-02-02T00:00:00Z"),
};
const HOURS = (PERIOD.toMs - PERIOD.fromMs) / H;
const SITES = ["a", "b"];
/** Each site has 2 racks × 2 nodes × 4 GPUs = 16 GPUs. */
const GPUS_PER_SITE = 16;

const share = fc.double({ min: 0, max: 1, noNaN: true });

const offtakerArb: fc.Arbitrary<HeatOfftaker> = fc
  .record({
    id: fc.constantFrom("o1", "o2", "o3"),
    kind: fc.constantFrom("district-heating", "fish-farm", "greenhouse", "industry" as const),
    peakPowerW: fc.double({ min: 1, max: 20_000, noNaN: true }),
    minTemperatureC: fc.double({ min: 10, max: 90, noNaN: true }),
    heatPumpCop: fc.double({ min: 1.5, max: 6, noNaN: true }),
  })
  .map((o) => ({
    ...o,
    monthlyShare: OFFTAKER_DEFAULTS[o.kind].monthlyShare,
    hourlyShare: OFFTAKER_DEFAULTS[o.kind].hourlyShare,
  }));

const sourceArb: fc.Arbitrary<RenewableSource> = fc.record({
  id: fc.constant("s"),
  kind: fc.constantFrom("ppa", "on-site", "guarantees-of-origin" as const),
  amount: fc.oneof(
    share.map((s) => ({ share: s / 3 })),
    fc.double({ min: 0, max: 30_000, noNaN: true }).map((w) => ({ powerW: w })),
  ),
});

const energyArb: fc.Arbitrary<SiteEnergy> = fc
  .record({
    liquidShare: share,
    aux: fc.tuple(share, share).map(([a, b]) => [a * 0.1, b * 0.1]),
    ups: fc.double({ min: 0.8, max: 1, noNaN: true }),
    auxiliaryPowerW: fc.double({ min: 0, max: 5000, noNaN: true }),
    captured: share,
    offtakers: fc.array(offtakerArb, { maxLength: 3 }),
    sources: fc.array(sourceArb, { maxLength: 3 }),
    residual: fc.option(fc.double({ min: 0, max: 800, noNaN: true }), { nil: null }),
  })
  .map((r) => {
    const base = defaultSiteEnergy({ country: "NO", jurisdictions: ["NO", "EEA"] });
    return {
      ...base,
      cooling: {
        ...base.cooling,
        liquidShare: r.liquidShare,
        liquid: { freeCoolingMaxC: 35, auxPowerShare: r.aux[0]! },
        air: { freeCoolingMaxC: 18, auxPowerShare: r.aux[1]! },
      },
      electrical: {
        upsEfficiency: r.ups,
        transformerEfficiency: 0.99,
        auxiliaryPowerW: r.auxiliaryPowerW,
        backupGeneratorKWh: 0,
      },
      heatRecovery: { capturedShare: r.captured, supplyTemperatureC: 45, offtakers: r.offtakers },
      supply: { sources: r.sources, residualMixGPerKWh: r.residual },
    };
  });

/**
 * Lanes of GPUs that never exceed the site: each lane (1–4 GPUs, widths summing to ≤ 16) holds back-to-back
 * runs separated by gaps; runs may start before and end after the period. Each run is its own job or joins
 * the previous one (a requeued job).
 */
const jobsArb: fc.Arbitrary<ScheduledJob[]> = fc
  .tuple(
    ...SITES.map((siteId) =>
      fc
        .array(
          fc.record({
            width: fc.integer({ min: 1, max: 4 }),
            runs: fc.array(
              fc.record({
                gapMin: fc.integer({ min: 0, max: 24 * 60 }),
                lengthMin: fc.integer({ min: 1, max: 36 * 60 }),
                sameJob: fc.boolean(),
                labels: fc.constantFrom<Record<string, string>>(
                  {},
                  { class: "research" },
                  { gpuUtilisation: "0.33" },
                  { class: "inference" },
                ),
              }),
              { maxLength: 5 },
            ),
          }),
          { maxLength: 6 },
        )
        .map((lanes) => ({ siteId, lanes })),
    ),
  )
  .map((sites) => {
    const jobs: ScheduledJob[] = [];
    for (const { siteId, lanes } of sites) {
      let used = 0;
      for (const [l, lane] of lanes.entries()) {
        if (used + lane.width > GPUS_PER_SITE) break;
        used += lane.width;
        let t = PERIOD.fromMs - 6 * H;
        for (const [r, run] of lane.runs.entries()) {
          const startAtMs = t + run.gapMin * 60_000;
          const endAtMs = startAtMs + run.lengthMin * 60_000;
          t = endAtMs;
          const scheduled = { siteId, startAtMs, endAtMs, gpus: lane.width };
          const last = jobs[jobs.length - 1];
          if (run.sameJob && r > 0 && last !== undefined) last.runs.push(scheduled);
          else
            jobs.push({
              jobId: `${siteId}-${l}-${r}`,
              tenantId: "t",
              tierId: "x",
              labels: run.labels,
              runs: [scheduled],
            });
        }
      }
    }
    return jobs;
  });

const signalsArb: fc.Arbitrary<Signals> = fc
  .tuple(
    ...SITES.map(() =>
      fc.tuple(
        fc.array(fc.double({ min: -30, max: 45, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
        fc.array(fc.double({ min: 0, max: 800, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
        fc.array(fc.double({ min: -50, max: 500, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
      ),
    ),
  )
  .map((series) => ({
    source: "property",
    bySite: new Map(
      series.map(([t, c, p], i) => [
        SITES[i]!,
        {
          fromMs: PERIOD.fromMs,
          outdoorTemperatureC: Float64Array.from(t),
          carbonGPerKWh: Float64Array.from(c),
          priceEurPerMWh: Float64Array.from(p),
        },
      ]),
    ),
  }));

function facilityTotal(t: SiteTotals): Footprint {
  return {
    gpuHours: t.gpuHoursAvailable,
    itKWh: t.itKWh,
    facilityKWh: t.facilityKWh,
    waterL: t.waterL,
    heatReusedKWh: t.heatReusedKWh,
    renewableKWh: t.onSiteKWh + t.ppaKWh + t.guaranteesKWh,
    co2eLocationKg: t.co2eLocationKg,
    co2eMarketKg: t.co2eMarketKg,
    energyCostEur: t.energyCostEur,
  };
}

function expectClose(actual: Footprint, expected: Footprint): void {
  for (const k of FOOTPRINT_FIELDS) {
    // Relative to the value, but absolute below a millionth of a unit: a sum of terms of both signs (energy
    // cost at negative prices) can cancel to almost nothing, and its relative error then means nothing.
    const scale = Math.max(Math.abs(expected[k]), Math.abs(actual[k]), 1e-6);
    expect(Math.abs(actual[k] - expected[k]) / scale, k).toBeLessThanOrEqual(1e-9);
  }
}

describe("accountEnergy conservation", () => {
  it("jobs plus idle capacity add up to the facility's totals, and each job's months to its total", () => {
    fc.assert(
      fc.property(fc.tuple(energyArb, energyArb), jobsArb, signalsArb, ([ea, eb], jobs, signals) => {
        const f = facility({ id: "a", racks: 2, nodesPerRack: 2 }, { id: "b", racks: 2, nodesPerRack: 2 });
        f.sites[0]!.energy = ea;
        f.sites[1]!.energy = eb;
        const account = accountEnergy({
          facility: f,
          schedule: { fromMs: PERIOD.fromMs, toMs: PERIOD.toMs, jobs },
          signals,
          period: PERIOD,
        });
        const attributed = sumFootprints([
          ...account.jobs.map((j) => j.total),
          ...account.sites.map((s) => s.idle),
        ]);
        expectClose(attributed, sumFootprints(account.sites.map((s) => facilityTotal(s.totals))));
        for (const job of account.jobs) expectClose(sumFootprints(job.byMonth.values()), job.total);
      }),
      { numRuns: RUNS },
    );
  });
});
