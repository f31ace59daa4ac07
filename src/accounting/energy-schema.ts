// The `energy` block of a facility site and the facility's `gpuUtilisation`, as written in the facility file.
// Every field is optional: omitted ones take the defaults of energy-defaults.ts. The two defaults that depend
// on the site (its reporting scheme and residual mix) are settled by `resolveSiteEnergy` once the site is known.
// Offtaker and source ids are checked for repeats by the facility schema, which knows their full paths.
import { z } from "zod";
import {
  idSchema,
  nonEmptyString,
  nonNegativeNumber,
  positiveNumber,
  strict,
  whenValid,
} from "../model/input-schemas.ts";
import type {
  DataCentreReporting,
  HeatOfftaker,
  RenewableSource,
  Site,
  SiteEnergy,
  SyntheticSignalModel,
} from "../model/types.ts";
import {
  DEFAULT_COOLING,
  DEFAULT_ELECTRICAL,
  DEFAULT_GPU_UTILISATION,
  DEFAULT_SIGNAL_PRESET,
  DEFAULT_SUPPLY_TEMPERATURE_C,
  DEFAULT_WATER,
  defaultReportingScheme,
  defaultResidualMixGPerKWh,
  OFFTAKER_DEFAULTS,
  SIGNAL_PRESETS,
} from "./energy-defaults.ts";

const SHARE_RULE = "must be a share from 0 to 1";
const share = z.number().min(0, SHARE_RULE).max(1, SHARE_RULE);
const efficiency = z
  .number()
  .gt(0, "must be an efficiency above 0 and at most 1")
  .max(1, "must be at most 1");
const temperatureC = z.number().min(-90, "must be at least -90 °C").max(200, "must be at most 200 °C");

function shares(count: number, what: string) {
  return z.array(share).length(count, `must list ${count} shares, one per ${what}`);
}

export const gpuUtilisationSchema = strict({
  default: share.default(DEFAULT_GPU_UTILISATION.default),
  byKind: z.record(nonEmptyString, share).default(DEFAULT_GPU_UTILISATION.byKind),
});

const coolingPathSchema = (defaults: { freeCoolingMaxC: number; auxPowerShare: number }) =>
  strict({
    freeCoolingMaxC: temperatureC.default(defaults.freeCoolingMaxC),
    auxPowerShare: share.default(defaults.auxPowerShare),
  });

const coolingSchema = strict({
  liquidShare: share.default(DEFAULT_COOLING.liquidShare),
  liquid: coolingPathSchema(DEFAULT_COOLING.liquid).prefault({}),
  air: coolingPathSchema(DEFAULT_COOLING.air).prefault({}),
  mechanicalBlendK: positiveNumber.default(DEFAULT_COOLING.mechanicalBlendK),
  chillerCop: positiveNumber.default(DEFAULT_COOLING.chillerCop),
});

const electricalSchema = strict({
  upsEfficiency: efficiency.default(DEFAULT_ELECTRICAL.upsEfficiency),
  transformerEfficiency: efficiency.default(DEFAULT_ELECTRICAL.transformerEfficiency),
  auxiliaryPowerW: nonNegativeNumber.default(DEFAULT_ELECTRICAL.auxiliaryPowerW),
  backupGeneratorKWh: nonNegativeNumber.default(DEFAULT_ELECTRICAL.backupGeneratorKWh),
});

const waterSchema = strict({
  makeUpLPerKWh: nonNegativeNumber.default(DEFAULT_WATER.makeUpLPerKWh),
  adiabaticFromC: temperatureC.default(DEFAULT_WATER.adiabaticFromC),
  adiabaticLPerKWh: nonNegativeNumber.default(DEFAULT_WATER.adiabaticLPerKWh),
  baselineWueLPerKWh: nonNegativeNumber.default(DEFAULT_WATER.baselineWueLPerKWh),
  potableShare: share.default(DEFAULT_WATER.potableShare),
});

const offtakerSchema = strict({
  id: idSchema,
  kind: z.enum(["district-heating", "fish-farm", "greenhouse", "industry"]),
  peakPowerW: positiveNumber,
  monthlyShare: shares(12, "month, January first").optional(),
  hourlyShare: shares(24, "hour of the day, UTC").optional(),
  minTemperatureC: temperatureC.optional(),
  // COP / (COP − 1) must be finite: a heat pump always delivers more heat than the electricity it uses.
  heatPumpCop: z.number().gt(1, "must be greater than 1").optional(),
}).transform((o): HeatOfftaker => {
  const kind = OFFTAKER_DEFAULTS[o.kind];
  return {
    id: o.id,
    kind: o.kind,
    peakPowerW: o.peakPowerW,
    monthlyShare: o.monthlyShare ?? kind.monthlyShare,
    hourlyShare: o.hourlyShare ?? kind.hourlyShare,
    minTemperatureC: o.minTemperatureC ?? kind.minTemperatureC,
    heatPumpCop: o.heatPumpCop ?? kind.heatPumpCop,
  };
});

const heatRecoverySchema = strict({
  /** Default: the cooling block's liquid share (the liquid loop's heat is what can be handed over). */
  capturedShare: share.optional(),
  supplyTemperatureC: temperatureC.default(DEFAULT_SUPPLY_TEMPERATURE_C),
  offtakers: z.array(offtakerSchema).default([]),
});

/** `{ powerW: 2e8 }` or `{ share: 1 }`: exactly one of the two. */
const sourceSchema = strict({
  id: idSchema,
  kind: z.enum(["ppa", "on-site", "guarantees-of-origin"]),
  powerW: nonNegativeNumber.optional(),
  share: share.optional(),
})
  .superRefine((s, ctx) => {
    if ((s.powerW === undefined) === (s.share === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of powerW or share, like { share: 1 } or { powerW: 200000000 }",
      });
    }
  }, whenValid)
  .transform(
    (s): RenewableSource => ({
      id: s.id,
      kind: s.kind,
      amount: s.share === undefined ? { powerW: s.powerW ?? 0 } : { share: s.share },
    }),
  );

const supplySchema = strict({
  sources: z.array(sourceSchema).default([]),
  /** Omitted = Norway's residual mix for a Norwegian site, else the grid's own intensity (null). */
  residualMixGPerKWh: nonNegativeNumber.nullable().optional(),
}).superRefine((supply, ctx) => {
  const shared = supply.sources.flatMap((s) => ("share" in s.amount ? [s.amount.share] : []));
  const total = shared.reduce((a, b) => a + b, 0);
  if (total > 1 + 1e-9) {
    ctx.addIssue({
      code: "custom",
      path: ["sources"],
      message: `shares add up to ${Number(total.toFixed(6))}: more than all of the facility's energy`,
    });
  }
}, whenValid);

const optionalText = nonEmptyString.nullable().default(null);
const optionalArea = positiveNumber.nullable().default(null);

const reportingSchema = strict({
  /** Omitted = from the site: eu-eed in the EU, no-nkom in Norway, else none. */
  scheme: z.enum(["eu-eed", "no-nkom", "none"]).optional(),
  owner: optionalText,
  operator: optionalText,
  type: z.enum(["enterprise", "colocation", "co-hosting"]).nullable().default(null),
  lauCode: optionalText,
  operationsStartedOn: z.iso
    .date({ error: (issue) => (issue.input === undefined ? undefined : "must be a date like 2026-03-01") })
    .nullable()
    .default(null),
  totalFloorAreaM2: optionalArea,
  computerRoomFloorAreaM2: optionalArea,
  electricalRedundancy: optionalText,
  coolingRedundancy: optionalText,
  itIntakeAirSetPointC: temperatureC.nullable().default(null),
  installedItPowerW: positiveNumber.nullable().default(null),
});

const signalsSchema = strict({
  preset: z.enum(Object.keys(SIGNAL_PRESETS) as [keyof typeof SIGNAL_PRESETS]).default(DEFAULT_SIGNAL_PRESET),
  monthlyMeanTemperatureC: z
    .array(temperatureC)
    .length(12, "must list 12 temperatures, January first")
    .optional(),
  monthlyDiurnalHalfRangeC: z
    .array(nonNegativeNumber)
    .length(12, "must list 12 half-ranges, January first")
    .optional(),
  weatherNoiseC: nonNegativeNumber.optional(),
  utcOffsetH: z.number().min(-12).max(14).optional(),
  carbonIntensityGPerKWh: nonNegativeNumber.optional(),
  carbonSeasonalSwing: share.optional(),
  spotPriceEurPerMWh: z.number().optional(),
  priceSeasonalSwing: share.optional(),
}).transform(({ preset, ...overrides }): SyntheticSignalModel => {
  const defined = Object.entries(overrides).filter(([, v]) => v !== undefined);
  return { ...SIGNAL_PRESETS[preset], ...Object.fromEntries(defined) };
});

export const siteEnergySchema = strict({
  cooling: coolingSchema.prefault({}),
  electrical: electricalSchema.prefault({}),
  water: waterSchema.prefault({}),
  heatRecovery: heatRecoverySchema.prefault({}),
  supply: supplySchema.prefault({}),
  reporting: reportingSchema.prefault({}),
  syntheticSignals: signalsSchema.prefault({}),
});

export type SiteEnergyDocument = z.output<typeof siteEnergySchema>;

/** The site's full model: what the file gives, defaults for the rest (the site-dependent ones from the site). */
export function resolveSiteEnergy(
  doc: SiteEnergyDocument | undefined,
  site: Pick<Site, "country" | "jurisdictions">,
): SiteEnergy {
  const energy = doc ?? siteEnergySchema.parse({});
  const { scheme, ...reporting } = energy.reporting;
  const resolved: DataCentreReporting = { scheme: scheme ?? defaultReportingScheme(site), ...reporting };
  return {
    cooling: energy.cooling,
    electrical: energy.electrical,
    water: energy.water,
    heatRecovery: {
      capturedShare: energy.heatRecovery.capturedShare ?? energy.cooling.liquidShare,
      supplyTemperatureC: energy.heatRecovery.supplyTemperatureC,
      offtakers: energy.heatRecovery.offtakers,
    },
    supply: {
      sources: energy.supply.sources,
      residualMixGPerKWh:
        energy.supply.residualMixGPerKWh === undefined
          ? defaultResidualMixGPerKWh(site)
          : energy.supply.residualMixGPerKWh,
    },
    reporting: resolved,
    syntheticSignals: energy.syntheticSignals,
  };
}

/** The whole model with every default, for a site that gives none (no renewable contracts, no offtakers). */
export function defaultSiteEnergy(site: Pick<Site, "country" | "jurisdictions">): SiteEnergy {
  return resolveSiteEnergy(undefined, site);
}

/** The site's model, or the defaults when it was built without one (traces, tests). */
export function siteEnergy(site: Site): SiteEnergy {
  return site.energy ?? defaultSiteEnergy(site);
}
