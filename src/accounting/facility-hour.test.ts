import { describe, expect, it } from "vitest";
import type { HeatOfftaker, SiteEnergy } from "../model/types.ts";
import { defaultSiteEnergy } from "./energy-schema.ts";
import { facilityHour, type HourInput, mechanicalShare } from "./facility-hour.ts";

const NORWAY = { country: "NO", jurisdictions: ["NO", "EEA"] };

/** The defaults with no losses and no cooling power, so each test switches on only what it is about. */
function lossless(): SiteEnergy {
  const base = defaultSiteEnergy(NORWAY);
  return {
    ...base,
    cooling: {
      ...base.cooling,
      liquid: { freeCoolingMaxC: 35, auxPowerShare: 0 },
      air: { freeCoolingMaxC: 18, auxPowerShare: 0 },
    },
    electrical: { upsEfficiency: 1, transformerEfficiency: 1, auxiliaryPowerW: 0, backupGeneratorKWh: 0 },
  };
}

const HOUR: HourInput = {
  itKWh: 100,
  outdoorTemperatureC: 10,
  carbonGPerKWh: 20,
  priceEurPerMWh: 30,
  month: 0,
  hourOfDay: 12,
};

function offtaker(over: Partial<HeatOfftaker>): HeatOfftaker {
  return {
    id: "o",
    kind: "industry",
    peakPowerW: 1000,
    monthlyShare: Array.from({ length: 12 }, () => 1),
    hourlyShare: Array.from({ length: 24 }, () => 1),
    minTemperatureC: 40,
    heatPumpCop: 3,
    ...over,
  };
}

describe("cooling", () => {
  it("needs no chillers up to a path's free-cooling limit and all of them one blend width above it", () => {
    const path = { freeCoolingMaxC: 18, auxPowerShare: 0 };
    expect([10, 18, 21, 24, 30].map((t) => mechanicalShare(path, t, 6))).toEqual([0, 0, 0.5, 1, 1]);
  });

  it("charges each path its pumps and fans plus heat × mechanical share / COP", () => {
    const model = defaultSiteEnergy(NORWAY);
    const flows = facilityHour({ ...HOUR, outdoorTemperatureC: 21 }, model);
    // Liquid: 75 kWh of heat, free cooling at 21 °C → 75 × 0.02 = 1.5 kWh.
    expect(flows.liquidCoolingKWh).toBeCloseTo(1.5, 12);
    // Air: 25 kWh of heat, half mechanical ((21 − 18) / 6) → 25 × (0.06 + 0.5 / 4) = 4.625 kWh.
    expect(flows.airCoolingKWh).toBeCloseTo(4.625, 12);
  });
});

describe("electrical losses", () => {
  it("charges UPS losses on IT energy only and transformer losses on everything drawn", () => {
    const model = lossless();
    model.electrical = {
      upsEfficiency: 0.8,
      transformerEfficiency: 0.8,
      auxiliaryPowerW: 1000,
      backupGeneratorKWh: 0,
    };
    const flows = facilityHour(HOUR, model);
    // UPS input 100 / 0.8 = 125; + 1 kWh auxiliary = 126; / 0.8 = 157.5 at the transformers.
    expect(flows.upsLossKWh).toBeCloseTo(25, 12);
    expect(flows.facilityKWh).toBeCloseTo(157.5, 12);
    expect(flows.transformerLossKWh).toBeCloseTo(31.5, 12);
    expect(flows.itKWh + flows.upsLossKWh + flows.transformerLossKWh + flows.auxiliaryKWh).toBeCloseTo(
      flows.facilityKWh,
      12,
    );
  });
});

describe("heat hand-over", () => {
  it("serves offtakers in order; one that needs more than the supply temperature takes demand × (COP − 1) / COP", () => {
    const model = lossless();
    model.heatRecovery = {
      capturedShare: 0.75,
      supplyTemperatureC: 45,
      offtakers: [
        offtaker({ id: "district", minTemperatureC: 70, heatPumpCop: 3, peakPowerW: 60_000 }),
        offtaker({ id: "fish", minTemperatureC: 20, peakPowerW: 50_000 }),
      ],
    };
    const flows = facilityHour(HOUR, model);
    // 75 kWh captured: the district network lifts 60 kWh from 40 kWh of source heat; the farm gets the 35 left.
    expect(flows.offtakerKWh.map((k) => Number(k.toFixed(9)))).toEqual([40, 35]);
    expect(flows.heatReusedKWh).toBeCloseTo(75, 12);
    expect(flows.heatRejectedKWh).toBeCloseTo(25, 12);
  });

  it("follows an offtaker's month and hour shares", () => {
    const model = lossless();
    const monthlyShare = Array.from({ length: 12 }, (_, m) => (m === 6 ? 0.2 : 1));
    const hourlyShare = Array.from({ length: 24 }, (_, h) => (h === 3 ? 0.5 : 1));
    model.heatRecovery.offtakers = [offtaker({ peakPowerW: 10_000, monthlyShare, hourlyShare })];
    // July at 03:00 UTC: 10 kW × 0.2 × 0.5 = 1 kWh in the hour.
    expect(facilityHour({ ...HOUR, month: 6, hourOfDay: 3 }, model).heatReusedKWh).toBeCloseTo(1, 12);
  });
});

describe("water", () => {
  it("uses make-up water per IT kWh, and sprays rejected heat away from the adiabatic threshold on", () => {
    const model = lossless();
    expect(facilityHour({ ...HOUR, outdoorTemperatureC: 24.9 }, model).waterL).toBeCloseTo(10, 12);
    // At 25 °C: 100 × 0.1 + 100 kWh rejected (no offtakers) × 1.6 L/kWh.
    expect(facilityHour({ ...HOUR, outdoorTemperatureC: 25 }, model).waterL).toBeCloseTo(170, 12);
    expect(facilityHour(HOUR, model).baselineWaterL).toBeCloseTo(180, 12);
  });
});

describe("supply and emissions", () => {
  it("covers energy on-site first, then by PPAs, then by guarantees of origin, never beyond the hour's energy", () => {
    const model = lossless();
    model.supply = {
      residualMixGPerKWh: 400,
      sources: [
        { id: "go", kind: "guarantees-of-origin", amount: { powerW: 1_000_000 } },
        { id: "ppa", kind: "ppa", amount: { share: 0.5 } },
        { id: "roof", kind: "on-site", amount: { powerW: 10_000 } },
      ],
    };
    const flows = facilityHour(HOUR, model);
    expect([flows.onSiteKWh, flows.ppaKWh, flows.guaranteesKWh]).toEqual([10, 50, 40]);
    // Location-based: the 90 kWh drawn from the grid at 20 g/kWh; market-based: nothing is left uncovered.
    expect(flows.co2eLocationKg).toBeCloseTo(1.8, 12);
    expect(flows.co2eMarketKg).toBe(0);
  });

  it("charges uncovered energy the residual mix market-based, or the grid's intensity when no mix is given", () => {
    const model = lossless();
    model.supply = {
      residualMixGPerKWh: 402,
      sources: [{ id: "ppa", kind: "ppa", amount: { share: 0.25 } }],
    };
    expect(facilityHour(HOUR, model).co2eMarketKg).toBeCloseTo((75 * 402) / 1000, 12);
    model.supply = { ...model.supply, residualMixGPerKWh: null };
    expect(facilityHour(HOUR, model).co2eMarketKg).toBeCloseTo((75 * 20) / 1000, 12);
  });

  it("prices the facility's energy at the hour's day-ahead price", () => {
    expect(facilityHour(HOUR, lossless()).energyCostEur).toBeCloseTo(3, 12);
  });
});
