import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import { accountEnergy } from "../accounting/account.ts";
import { FOOTPRINT_FIELDS, type Footprint, sumFootprints } from "../accounting/footprint.ts";
import type { Period } from "../accounting/period.ts";
import type { Signals } from "../accounting/signals.ts";
import type { JobRunSlice } from "../store/records.ts";
import { usageByTenant, wholeHoursAround } from "./usage-footprint.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const H = 3_600_000;
/** The hours signals exist for; periods and runs fall inside them. */
const SPAN: Period = { fromMs: Date.parse("2026-03-30T00:00:00Z"), toMs: Date.parse("2026-04-02T00:00:00Z") };
const HOURS = (SPAN.toMs - SPAN.fromMs) / H;
const SITES = ["a", "b"];
/** 2 racks × 2 nodes × 4 GPUs at each site. */
const GPUS_PER_SITE = 16;
const FACILITY = facility({ id: "a", racks: 2, nodesPerRack: 2 }, { id: "b", racks: 2, nodesPerRack: 2 });
const TIERS = new Map([
  ["t1", "national"],
  ["t2", "global"],
  ["t3", "global"],
]);

/** Lanes of GPUs per site (never more than the site has), each holding back-to-back runs with gaps. */
const runsArb: fc.Arbitrary<JobRunSlice[]> = fc
  .array(
    fc.record({
      siteId: fc.constantFrom(...SITES, null),
      width: fc.integer({ min: 1, max: 4 }),
      runs: fc.array(
        fc.record({
          gapMin: fc.integer({ min: 0, max: 12 * 60 }),
          lengthMin: fc.integer({ min: 1, max: 30 * 60 }),
          tenantId: fc.constantFrom("t1", "t2", "t3"),
          labels: fc.constantFrom<Record<string, string>>(
            {},
            { class: "research" },
            { gpuUtilisation: "0.33" },
            { gpuUtilisation: "flat out" },
          ),
        }),
        { maxLength: 5 },
      ),
    }),
    { maxLength: 8 },
  )
  .map((lanes) => {
    const used = new Map<string | null, number>();
    const runs: JobRunSlice[] = [];
    lanes.forEach((lane, l) => {
      const held = used.get(lane.siteId) ?? 0;
      if (lane.siteId !== null && held + lane.width > GPUS_PER_SITE) return;
      used.set(lane.siteId, held + lane.width);
      let t = SPAN.fromMs;
      lane.runs.forEach((run, r) => {
        const startAtMs = t + run.gapMin * 60_000;
        const endAtMs = Math.min(startAtMs + run.lengthMin * 60_000, SPAN.toMs);
        t = endAtMs;
        if (endAtMs > startAtMs)
          runs.push({
            jobId: `${l}-${r}`,
            tenantId: run.tenantId,
            siteId: lane.siteId,
            gpus: lane.width,
            startAtMs,
            endAtMs,
            labels: run.labels,
          });
      });
    });
    return runs;
  });

const signalsArb: fc.Arbitrary<Signals> = fc
  .tuple(
    ...SITES.map(() =>
      fc.tuple(
        fc.array(fc.double({ min: -30, max: 45, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
        fc.array(fc.double({ min: 0, max: 800, noNaN: true }), { minLength: HOURS, maxLength: HOURS }),
      ),
    ),
  )
  .map((series) => ({
    source: "property",
    bySite: new Map(
      series.map(([temperature, carbon], i) => [
        SITES[i]!,
        {
          fromMs: SPAN.fromMs,
          outdoorTemperatureC: Float64Array.from(temperature),
          carbonGPerKWh: Float64Array.from(carbon),
          priceEurPerMWh: new Float64Array(HOURS).fill(40),
        },
      ]),
    ),
  }));

/** Two instants inside the span, to the millisecond: a period [from, to) and a point `at` inside it. */
const periodArb = fc
  .tuple(
    fc.integer({ min: SPAN.fromMs, max: SPAN.toMs }),
    fc.integer({ min: SPAN.fromMs, max: SPAN.toMs }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .filter(([a, b]) => a !== b)
  .map(([a, b, f]) => {
    const fromMs = Math.min(a, b);
    const toMs = Math.max(a, b);
    return { period: { fromMs, toMs }, atMs: Math.round(fromMs + f * (toMs - fromMs)) };
  });

/** What the store hands over: every run overlapping the period's whole hours, clipped to them. */
function storeRuns(runs: readonly JobRunSlice[], period: Period): JobRunSlice[] {
  const hours = wholeHoursAround(period);
  return runs
    .map((r) => ({
      ...r,
      startAtMs: Math.max(r.startAtMs, hours.fromMs),
      endAtMs: Math.min(r.endAtMs, hours.toMs),
    }))
    .filter((r) => r.endAtMs > r.startAtMs);
}

function usage(runs: readonly JobRunSlice[], signals: Signals, period: Period): Map<string, Footprint> {
  return usageByTenant({ facility: FACILITY, runs: storeRuns(runs, period), signals, period, tierOf: TIERS });
}

function expectClose(actual: number, expected: number, what: string): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected), 1e-9);
  expect(Math.abs(actual - expected) / scale, what).toBeLessThanOrEqual(1e-9);
}

/** The facility's totals over the period's whole hours, every run in them, as the accounting models them. */
function facilityTotals(runs: readonly JobRunSlice[], signals: Signals, period: Period): Footprint {
  const hours = wholeHoursAround(period);
  const jobs = storeRuns(runs, period)
    .filter((r) => r.siteId !== null)
    .map((r) => ({
      jobId: r.jobId,
      tenantId: r.tenantId,
      tierId: "x",
      // The unreadable utilisation label is left out, as usage does.
      labels: r.labels.gpuUtilisation === "flat out" ? {} : r.labels,
      runs: [{ siteId: r.siteId!, startAtMs: r.startAtMs, endAtMs: r.endAtMs, gpus: r.gpus }],
    }));
  const sites = accountEnergy({
    facility: FACILITY,
    schedule: { ...hours, jobs },
    signals,
    period: hours,
  }).sites;
  return sumFootprints(
    sites.map(({ totals: t }) => ({
      gpuHours: t.gpuHoursAvailable,
      itKWh: t.itKWh,
      facilityKWh: t.facilityKWh,
      waterL: t.waterL,
      heatReusedKWh: t.heatReusedKWh,
      renewableKWh: t.onSiteKWh + t.ppaKWh + t.guaranteesKWh,
      co2eLocationKg: t.co2eLocationKg,
      co2eMarketKg: t.co2eMarketKg,
      energyCostEur: t.energyCostEur,
    })),
  );
}

function flatSignals(): Signals {
  const fill = (v: number) => new Float64Array(HOURS).fill(v);
  const series = {
    fromMs: SPAN.fromMs,
    outdoorTemperatureC: fill(5),
    carbonGPerKWh: fill(20),
    priceEurPerMWh: fill(40),
  };
  return { source: "flat", bySite: new Map(SITES.map((id) => [id, series])) };
}

describe("usage per tenant", () => {
  it("never charges the tenants together more than the facility's totals over the period's hours", () => {
    fc.assert(
      fc.property(runsArb, signalsArb, periodArb, (runs, signals, { period }) => {
        const tenants = sumFootprints(usage(runs, signals, period).values());
        const facilityTotal = facilityTotals(runs, signals, period);
        // Runs at no known site hold GPUs outside the facility's count, at most one site's worth here.
        const unknownSiteGpuHours = (GPUS_PER_SITE * (period.toMs - period.fromMs)) / H;
        const slack = 1 + 1e-9;
        expect(tenants.gpuHours).toBeLessThanOrEqual((facilityTotal.gpuHours + unknownSiteGpuHours) * slack);
        for (const k of FOOTPRINT_FIELDS)
          if (k !== "gpuHours") expect(tenants[k], k).toBeLessThanOrEqual(facilityTotal[k] * slack);
      }),
      { numRuns: RUNS },
    );
  });

  it("adds up: a period split at any instant charges each tenant the same as the whole period", () => {
    fc.assert(
      fc.property(runsArb, signalsArb, periodArb, (runs, signals, { period, atMs }) => {
        const whole = usage(runs, signals, period);
        const before = usage(runs, signals, { fromMs: period.fromMs, toMs: atMs });
        const after = usage(runs, signals, { fromMs: atMs, toMs: period.toMs });
        for (const [tenant, footprint] of whole) {
          const parts = sumFootprints([before.get(tenant), after.get(tenant)].filter((f) => f !== undefined));
          for (const k of FOOTPRINT_FIELDS) expectClose(parts[k], footprint[k], `${tenant} ${k}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("counts a run at no known site in GPU-hours only", () => {
    const period = { fromMs: SPAN.fromMs, toMs: SPAN.fromMs + 2 * H };
    const at = { startAtMs: SPAN.fromMs, endAtMs: SPAN.fromMs + H, labels: {} };
    const runs: JobRunSlice[] = [
      { jobId: "before-sites-were-kept", tenantId: "t1", siteId: null, gpus: 2, ...at },
      { jobId: "at-a-closed-site", tenantId: "t1", siteId: "closed", gpus: 1, ...at },
    ];
    const t1 = usageByTenant({ facility: FACILITY, runs, signals: flatSignals(), period, tierOf: TIERS }).get(
      "t1",
    );
    expect(t1).toMatchObject({ gpuHours: 3, itKWh: 0, facilityKWh: 0 });
  });

  it("counts a job whose utilisation label is not a share at its kind's utilisation", () => {
    const period = { fromMs: SPAN.fromMs, toMs: SPAN.fromMs + H };
    const run = { tenantId: "t1", siteId: "a", gpus: 1, startAtMs: SPAN.fromMs, endAtMs: SPAN.fromMs + H };
    const runs: JobRunSlice[] = [
      { ...run, jobId: "bad", labels: { class: "research", gpuUtilisation: "flat out" } },
      { ...run, jobId: "good", tenantId: "t2", labels: { class: "research" } },
    ];
    const byTenant = usageByTenant({
      facility: FACILITY,
      runs,
      signals: flatSignals(),
      period,
      tierOf: TIERS,
    });
    expect(byTenant.get("t1")!.itKWh).toBeGreaterThan(0);
    expect(byTenant.get("t1")!.itKWh).toBe(byTenant.get("t2")!.itKWh);
  });
});
