// The defaults of the energy model, one place for all of them: the facility schema fills omitted fields from
// here (energy-schema.ts), and so does `defaultSiteEnergy` for facilities built in code. Each figure's source is beside it and
// in docs/energy.md; "assumption" marks a figure no source pins down — override it in the facility file.
import type {
  CoolingModel,
  ElectricalModel,
  GpuUtilisationModel,
  HeatOfftakerKind,
  ReportingScheme,
  Site,
  SyntheticSignalModel,
  WaterModel,
} from "../model/types.ts";

/** Assumptions by the synthetic workload's job classes (src/workloads/synthetic-jobs.ts); see docs/energy.md. */
export const DEFAULT_GPU_UTILISATION: GpuUtilisationModel = {
  default: 0.7,
  byKind: { startup: 0.5, research: 0.8, frontier: 0.9, inference: 0.6 },
};

export const DEFAULT_COOLING: CoolingModel = {
  // Direct-to-chip liquid takes ~70–80 % of IT heat (FACTS.md, facility efficiency).
  liquidShare: 0.75,
  // Loops supply ~45 °C (FACTS.md); dry coolers need ~10 K of approach, so free cooling up to ~35 °C (assumption).
  liquid: { freeCoolingMaxC: 35, auxPowerShare: 0.02 },
  // Outdoor air cools the air side up to ~18 °C (assumption; inlet air may be 18–27 °C).
  air: { freeCoolingMaxC: 18, auxPowerShare: 0.06 },
  mechanicalBlendK: 6,
  chillerCop: 4,
};

export const DEFAULT_ELECTRICAL: ElectricalModel = {
  upsEfficiency: 0.97,
  transformerEfficiency: 0.99,
  auxiliaryPowerW: 0,
  backupGeneratorKWh: 0,
};

export const DEFAULT_WATER: WaterModel = {
  // Closed loops with dry coolers need make-up water only, ~0–0.2 L/kWh IT (FACTS.md).
  makeUpLPerKWh: 0.1,
  adiabaticFromC: 25,
  // Latent heat of vaporisation of water ≈ 2.26 MJ/kg: evaporating away 1 kWh (3.6 MJ) of heat takes ≈ 1.6 L.
  adiabaticLPerKWh: 1.6,
  // Evaporative-cooled industry average (FACTS.md).
  baselineWueLPerKWh: 1.8,
  // Assumption: make-up water comes from the municipal supply.
  potableShare: 1,
};

/** Hand-over temperature of captured heat: GB300 loops run ~45–60 °C; above 45 °C heat serves buildings (FACTS.md). */
export const DEFAULT_SUPPLY_TEMPERATURE_C = 45;

/** Demand shapes and temperatures by offtaker kind (assumptions; docs/energy.md explains each). */
export const OFFTAKER_DEFAULTS: Record<
  HeatOfftakerKind,
  { monthlyShare: number[]; hourlyShare: number[]; minTemperatureC: number; heatPumpCop: number }
> = {
  // Little summer demand: the Espoo precedent uses ~75 % of its waste heat over a year (FACTS.md).
  "district-heating": {
    monthlyShare: [1, 0.95, 0.85, 0.65, 0.45, 0.3, 0.25, 0.28, 0.45, 0.65, 0.85, 0.95],
    hourlyShare: [
      0.85, 0.85, 0.85, 0.85, 0.85, 0.9, 1, 1, 1, 0.95, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.95, 1, 1, 0.95, 0.9,
      0.9, 0.85, 0.85,
    ],
    minTemperatureC: 70,
    heatPumpCop: 3.5,
  },
  // Land-based fish farms warm intake water all year, a little more in winter (Green Mountain precedents).
  "fish-farm": {
    monthlyShare: [1, 1, 1, 0.95, 0.9, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1],
    hourlyShare: Array.from({ length: 24 }, () => 1),
    minTemperatureC: 20,
    heatPumpCop: 3.5,
  },
  // Greenhouses need heat in the cold months and at night.
  greenhouse: {
    monthlyShare: [1, 1, 0.9, 0.7, 0.5, 0.3, 0.2, 0.25, 0.45, 0.7, 0.9, 1],
    hourlyShare: Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? 0.6 : 1)),
    minTemperatureC: 40,
    heatPumpCop: 3.5,
  },
  industry: {
    monthlyShare: Array.from({ length: 12 }, () => 1),
    hourlyShare: Array.from({ length: 24 }, () => 1),
    minTemperatureC: 45,
    heatPumpCop: 3.5,
  },
};

/** Norway's residual mix (market-based), NVE 2020: guarantees of origin are sold abroad (FACTS.md). */
const NORWAY_RESIDUAL_MIX_G_PER_KWH = 402;

/**
 * Narvik (Kvandal) and bidding zone NO4. Monthly means and day ranges: climatestotravel.com/climate/norway/narvik
 * (Jan −4 °C … Jul 14.5 °C; weatherbase gives Jan −4.1, Jul 13.4). Carbon: NVE's physically delivered power,
 * Norway 2023, 15 g/kWh (NO4 alone ~40 g, low confidence; FACTS.md). Price: NO4 day-ahead daily means of
 * ~13–29 EUR/MWh (kwhprice.eu). Winter swings are assumptions.
 */
export const NARVIK_NO4: SyntheticSignalModel = {
  monthlyMeanTemperatureC: [-4, -1.5, 0, 3, 8, 11.5, 14.5, 14, 10.5, 4.5, 1.5, -0.5],
  monthlyDiurnalHalfRangeC: [2, 2.5, 3, 3, 4, 3.5, 3.5, 4, 3.5, 2.5, 1.5, 2.5],
  weatherNoiseC: 3,
  utcOffsetH: 1,
  carbonIntensityGPerKWh: 15,
  carbonSeasonalSwing: 0.3,
  spotPriceEurPerMWh: 25,
  priceSeasonalSwing: 0.4,
};

/**
 * Abu Dhabi. Monthly mean of average max and min (landenweb.com/abu-dhabi/climate; Jan 18.4 °C per
 * abudhabienterprise.com). Carbon: ~82.5 % of UAE power from gas, ~13 % nuclear, ~5 % renewables (Ember, 2022)
 * → ≈ 400 g/kWh (approx.). The UAE has no day-ahead market: the price is a flat placeholder tariff.
 */
export const ABU_DHABI_AE: SyntheticSignalModel = {
  monthlyMeanTemperatureC: [19, 20, 22.5, 27, 31.5, 32.5, 35, 36, 33, 29, 24.5, 21],
  monthlyDiurnalHalfRangeC: [5, 5, 5.5, 6, 6.5, 6.5, 6, 6, 7, 6, 5.5, 5],
  weatherNoiseC: 1.5,
  utcOffsetH: 4,
  carbonIntensityGPerKWh: 400,
  carbonSeasonalSwing: 0.05,
  spotPriceEurPerMWh: 60,
  priceSeasonalSwing: 0,
};

export const SIGNAL_PRESETS = { "narvik-no4": NARVIK_NO4, "abu-dhabi-ae": ABU_DHABI_AE } as const;
export type SignalPresetName = keyof typeof SIGNAL_PRESETS;
export const DEFAULT_SIGNAL_PRESET: SignalPresetName = "narvik-no4";

/** EU member states report under the Delegated Regulation; Norway (EEA) registers with Nkom (FACTS.md). */
export function defaultReportingScheme(site: Pick<Site, "country" | "jurisdictions">): ReportingScheme {
  if (site.jurisdictions.includes("EU")) return "eu-eed";
  if (site.country === "NO") return "no-nkom";
  return "none";
}

/** Where no residual mix is known, market-based falls back to the grid's intensity (GHG Protocol Scope 2). */
export function defaultResidualMixGPerKWh(site: Pick<Site, "country">): number | null {
  return site.country === "NO" ? NORWAY_RESIDUAL_MIX_G_PER_KWH : null;
}
