import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import type { SiteEnergy } from "../model/types.ts";
import { accountEnergy } from "./account.ts";
import { defaultSiteEnergy } from "./energy-schema.ts";
import type { Period } from "./period.ts";
import type { Schedule, ScheduledJob } from "./schedule.ts";
import type { Signals } from "./signals.ts";

const H = 3_600_000;
const DAY: Period = { fromMs: Date.parse("2026-01-31T12:00:00Z"), toMs: Date.parse("2026-02-01T12:00:00Z") };

/** One site of 2 GB300 trays (8 GPUs): per GPU slot 400 W node overhead + 200 W idle, +1,200 W at full load. */
function site(energy?: SiteEnergy) {
  const f = facility({ id: "s", racks: 1, nodesPerRack: 2 });
  if (energy) f.sites[0]!.energy = energy;
  return f;
}

/** No cooling power and no losses: facility energy = IT energy, so the IT model shows through. */
function lossless(): SiteEnergy {
  const base = defaultSiteEnergy({ country: "NO", jurisdictions: ["NO", "EEA"] });
  return {
    ...base,
    cooling: {
      ...base.cooling,
      liquid: { freeCoolingMaxC: 99, auxPowerShare: 0 },
      air: { freeCoolingMaxC: 99, auxPowerShare: 0 },
    },
    electrical: { upsEfficiency: 1, transformerEfficiency: 1, auxiliaryPowerW: 0, backupGeneratorKWh: 0 },
  };
}

function flatSignals(period: Period, carbon = 20): Signals {
  const hours = (period.toMs - period.fromMs) / H;
  const fill = (v: number) => new Float64Array(hours).fill(v);
  return {
    source: "test",
    bySite: new Map([
      [
        "s",
        {
          fromMs: period.fromMs,
          outdoorTemperatureC: fill(5),
          carbonGPerKWh: fill(carbon),
          priceEurPerMWh: fill(40),
        },
      ],
    ]),
  };
}

function job(
  id: string,
  gpus: number,
  startAtMs: number,
  endAtMs: number,
  labels: Record<string, string> = {},
): ScheduledJob {
  return {
    jobId: id,
    tenantId: "t",
    tierId: "national",
    labels,
    runs: [{ siteId: "s", startAtMs, endAtMs, gpus }],
  };
}

function schedule(...jobs: ScheduledJob[]): Schedule {
  return { fromMs: DAY.fromMs, toMs: DAY.toMs, jobs };
}

describe("accountEnergy: IT energy", () => {
  it("charges a running job its GPUs' share of node overhead, idle power and utilisation × dynamic power", () => {
    const a = accountEnergy({
      facility: site(lossless()),
      schedule: schedule(job("j", 4, DAY.fromMs, DAY.fromMs + 2 * H, { gpuUtilisation: "0.5" })),
      signals: flatSignals(DAY),
      period: DAY,
    });
    // 4 GPUs × 2 h × (400 + 200 + 0.5 × 1,200) W = 9.6 kWh.
    expect(a.jobs[0]!.total.itKWh).toBeCloseTo(9.6, 9);
    expect(a.jobs[0]!.total.gpuHours).toBe(8);
  });

  it("counts idle GPU slots on powered nodes at overhead + idle power", () => {
    const a = accountEnergy({
      facility: site(lossless()),
      schedule: schedule(job("j", 4, DAY.fromMs, DAY.fromMs + 2 * H, { gpuUtilisation: "0.5" })),
      signals: flatSignals(DAY),
      period: DAY,
    });
    // 8 slots × 24 h × 600 W = 115.2 kWh, plus the job's 4.8 kWh above idle.
    expect(a.sites[0]!.totals.itKWh).toBeCloseTo(120, 9);
    expect(a.sites[0]!.idle.itKWh).toBeCloseTo(120 - 9.6, 9);
    expect(a.sites[0]!.idle.gpuHours).toBe(8 * 24 - 8);
  });

  it("takes the kind's utilisation from the facility when the job gives none", () => {
    const f = site(lossless());
    f.gpuUtilisation = { default: 0.1, byKind: { research: 0.75 } };
    const a = accountEnergy({
      facility: f,
      schedule: schedule(
        job("r", 1, DAY.fromMs, DAY.fromMs + H, { class: "research" }),
        job("x", 1, DAY.fromMs, DAY.fromMs + H),
      ),
      signals: flatSignals(DAY),
      period: DAY,
    });
    expect(a.jobs.map((j) => [j.jobId, j.utilisation, j.utilisationRule])).toEqual([
      ["r", 0.75, "kind research"],
      ["x", 0.1, "default"],
    ]);
    expect(a.jobs[0]!.total.itKWh).toBeCloseTo((600 + 0.75 * 1200) / 1000, 12);
  });

  it("counts only the part of a run inside the period, and leaves out jobs that ran wholly outside it", () => {
    const a = accountEnergy({
      facility: site(lossless()),
      schedule: schedule(
        job("straddles", 1, DAY.fromMs - 3 * H, DAY.fromMs + H, { gpuUtilisation: "0" }),
        job("before", 1, DAY.fromMs - 5 * H, DAY.fromMs - 4 * H),
      ),
      signals: flatSignals(DAY),
      period: DAY,
    });
    expect(a.jobs.map((j) => j.jobId)).toEqual(["straddles"]);
    expect(a.jobs[0]!.total.gpuHours).toBe(1);
  });
});

describe("accountEnergy: attribution", () => {
  it("splits an hour's overhead pro rata to IT energy, so a busier job carries more of the fixed load", () => {
    const energy = lossless();
    energy.electrical = { ...energy.electrical, auxiliaryPowerW: 4800 };
    const a = accountEnergy({
      facility: site(energy),
      schedule: schedule(job("j", 4, DAY.fromMs, DAY.fromMs + H, { gpuUtilisation: "1" })),
      signals: flatSignals(DAY),
      period: DAY,
    });
    // First hour: IT = 4 × 1.8 kW (job) + 4 × 0.6 kW (idle) = 9.6 kWh; facility = 9.6 + 4.8 auxiliary.
    const jobIt = 7.2;
    expect(a.jobs[0]!.total.facilityKWh).toBeCloseTo(jobIt * (14.4 / 9.6), 9);
  });

  it("charges a run that crosses a month boundary to both months", () => {
    const midnight = Date.parse("2026-02-01T00:00:00Z");
    const a = accountEnergy({
      facility: site(lossless()),
      schedule: schedule(job("j", 2, midnight - 3 * H, midnight + H, { gpuUtilisation: "0" })),
      signals: flatSignals(DAY),
      period: DAY,
    });
    const months = [...a.jobs[0]!.byMonth].map(([m, f]) => [m, f.gpuHours]);
    expect(months).toEqual([
      ["2026-01", 6],
      ["2026-02", 2],
    ]);
    expect(a.sites[0]!.monthly.map((m) => [m.month, m.totals.hours])).toEqual([
      ["2026-01", 12],
      ["2026-02", 12],
    ]);
  });

  it("charges a window inside the period at the whole hours' rates, counting runs outside it in those hours", () => {
    const energy = lossless();
    energy.electrical = { ...energy.electrical, auxiliaryPowerW: 4800 };
    const whole = accountEnergy({
      facility: site(energy),
      schedule: schedule(job("j", 4, DAY.fromMs, DAY.fromMs + H, { gpuUtilisation: "1" })),
      signals: flatSignals(DAY),
      period: DAY,
    });
    const quarter = accountEnergy({
      facility: site(energy),
      schedule: schedule(job("j", 4, DAY.fromMs, DAY.fromMs + H, { gpuUtilisation: "1" })),
      signals: flatSignals(DAY),
      period: DAY,
      chargeWindow: { fromMs: DAY.fromMs + H / 4, toMs: DAY.fromMs + H / 2 },
    });
    // The hour is the same hour whatever part of it is charged: a quarter of it costs a quarter as much.
    expect(quarter.jobs[0]!.total.itKWh).toBeCloseTo(7.2 / 4, 9);
    expect(quarter.jobs[0]!.total.facilityKWh).toBeCloseTo(whole.jobs[0]!.total.facilityKWh / 4, 9);
    expect(quarter.sites[0]!.totals).toEqual(whole.sites[0]!.totals);
  });

  it("leaves out jobs that ran only outside the charge window", () => {
    const a = accountEnergy({
      facility: site(lossless()),
      schedule: schedule(
        job("early", 1, DAY.fromMs, DAY.fromMs + H),
        job("late", 1, DAY.fromMs + 3 * H, DAY.fromMs + 4 * H),
      ),
      signals: flatSignals(DAY),
      period: DAY,
      chargeWindow: { fromMs: DAY.fromMs + 2 * H, toMs: DAY.toMs },
    });
    expect(a.jobs.map((j) => j.jobId)).toEqual(["late"]);
  });

  it("gives both bases of emissions: location-based from the grid's intensity, market-based from the residual mix", () => {
    const energy = lossless();
    energy.supply = { residualMixGPerKWh: 402, sources: [{ id: "ppa", kind: "ppa", amount: { share: 1 } }] };
    const a = accountEnergy({
      facility: site(energy),
      schedule: schedule(),
      signals: flatSignals(DAY, 15),
      period: DAY,
    });
    const t = a.sites[0]!.totals;
    expect(t.co2eLocationKg).toBeCloseTo((t.facilityKWh * 15) / 1000, 9);
    expect(t.co2eMarketKg).toBe(0);
    expect(t.ppaKWh).toBeCloseTo(t.facilityKWh, 9);
  });
});
