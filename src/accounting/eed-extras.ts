// Figures beyond the EU set: carbon (CUE and emissions on both bases), water saved, heat per offtaker,
// cooling per path, idle capacity and cost; and the energy figure of Norway's data-centre registration.
import type { CoolingPath } from "../model/types.ts";
import type { SiteAccount, SiteTotals } from "./account.ts";
import { type FigureSection, figure } from "./figure.ts";
import { cue } from "./kpis.ts";

export function fjordFigures(account: SiteAccount): FigureSection {
  const t = account.totals;
  const saved = t.baselineWaterL - t.waterL;
  const model = account.model;
  return {
    id: "fjord",
    title: "Fjord's additional figures (not part of the EU set)",
    figures: [
      figure(
        "CUE-location",
        "Carbon usage effectiveness, location-based",
        "kg CO2e/kWh",
        cue(t.co2eLocationKg, t.itKWh),
        {
          symbol: "CUE",
          formula: "location-based kg CO2e / EIT",
          operands: { co2eLocation_kg: t.co2eLocationKg, EIT_kWh: t.itKWh },
          source: "ISO/IEC 30134-8",
        },
      ),
      figure(
        "CUE-market",
        "Carbon usage effectiveness, market-based",
        "kg CO2e/kWh",
        cue(t.co2eMarketKg, t.itKWh),
        {
          symbol: "CUE",
          formula: "market-based kg CO2e / EIT",
          operands: { co2eMarket_kg: t.co2eMarketKg, EIT_kWh: t.itKWh },
          source: "ISO/IEC 30134-8",
        },
      ),
      figure("co2eLocation", "Emissions, location-based", "kg CO2e", t.co2eLocationKg, {
        formula: "Σ hours (EDC_h − ERES-OS_h) × grid intensity_h / 1000",
        operands: { gridKWh: t.facilityKWh - t.onSiteKWh },
        source:
          "GHG Protocol Scope 2 Guidance, location-based method; hourly grid intensity from the signals",
      }),
      figure("co2eMarket", "Emissions, market-based", "kg CO2e", t.co2eMarketKg, {
        formula:
          "Σ hours (EDC_h − ERES-TOT_h) × residual mix (or grid intensity_h when none is given) / 1000",
        operands: {
          uncoveredKWh: t.facilityKWh - t.onSiteKWh - t.ppaKWh - t.guaranteesKWh,
          residualMixGPerKWh: model.supply.residualMixGPerKWh,
        },
        source: "GHG Protocol Scope 2 Guidance, market-based method",
      }),
      figure("waterSaved", "Water saved against an evaporative-cooled facility", "L", saved, {
        formula: "EIT × baseline WUE − WIN",
        operands: { EIT_kWh: t.itKWh, baselineWueLPerKWh: model.water.baselineWueLPerKWh, WIN_L: t.waterL },
        source: "FACTS.md: evaporative-cooled industry average WUE ~1.8 L/kWh",
      }),
      figure(
        "waterSavedShare",
        "Water saved, share of the baseline",
        "",
        t.baselineWaterL > 0 ? saved / t.baselineWaterL : null,
        {
          formula: "water saved / (EIT × baseline WUE)",
          operands: { waterSaved_L: saved, baseline_L: t.baselineWaterL },
          source: "Fjord",
        },
      ),
      figure("heatRejected", "IT heat not reused", "kWh", t.heatRejectedKWh, {
        formula: "EIT − EREUSE",
        operands: { EIT_kWh: t.itKWh, EREUSE_kWh: t.heatReusedKWh },
        source: "Fjord: all IT energy becomes heat",
      }),
      ...model.heatRecovery.offtakers.map((o, i) =>
        figure(`heat-${o.id}`, `Heat handed over to ${o.id} (${o.kind})`, "kWh", t.offtakerKWh[i] ?? 0, {
          formula: "Σ hours min(heat left, peak × month share × hour share × (COP − 1)/COP when it lifts)",
          operands: {
            peakPowerW: o.peakPowerW,
            minTemperatureC: o.minTemperatureC,
            supplyTemperatureC: model.heatRecovery.supplyTemperatureC,
            heatPumpCop: o.heatPumpCop,
          },
          source: "facility file: energy.heatRecovery.offtakers",
        }),
      ),
      figure("coolingLiquid", "Cooling energy, liquid loop", "kWh", t.liquidCoolingKWh, {
        formula: "Σ hours liquid heat_h × (aux share + mechanical share_h / chiller COP)",
        operands: {
          liquidShare: model.cooling.liquidShare,
          ...prefixed("liquid", model.cooling.liquid),
          chillerCop: model.cooling.chillerCop,
        },
        source: "docs/energy.md",
      }),
      figure("coolingAir", "Cooling energy, air", "kWh", t.airCoolingKWh, {
        formula: "Σ hours air heat_h × (aux share + mechanical share_h / chiller COP)",
        operands: {
          ...prefixed("air", model.cooling.air),
          chillerCop: model.cooling.chillerCop,
          mechanicalBlendK: model.cooling.mechanicalBlendK,
        },
        source: "docs/energy.md",
      }),
      figure(
        "gpuUtilisation",
        "GPU time allocated to jobs",
        "",
        t.gpuHoursAvailable > 0 ? t.gpuHoursBusy / t.gpuHoursAvailable : null,
        {
          formula: "busy GPU-hours / available GPU-hours",
          operands: { gpuHoursBusy: t.gpuHoursBusy, gpuHoursAvailable: t.gpuHoursAvailable },
          source: "the schedule",
        },
      ),
      figure("idleFacility", "Facility energy of idle capacity", "kWh", account.idle.facilityKWh, {
        formula: "EDC − Σ jobs' facility energy",
        operands: { idleItKWh: account.idle.itKWh },
        source: "Fjord's attribution (docs/energy.md)",
      }),
      figure("energyCost", "Facility energy at the day-ahead price", "EUR", t.energyCostEur, {
        formula: "Σ hours EDC_h × price_h / 1000",
        source: "hourly price from the signals",
      }),
    ],
  };
}

export function nkom(t: SiteTotals): FigureSection {
  return {
    id: "nkom",
    title: "Norway — data-centre registration with Nkom (Ecom Act, from 1 January 2025)",
    figures: [
      figure("totalEnergy", "Total energy consumption of the data centre", "kWh", t.facilityKWh, {
        formula: "EDC",
        operands: { EDC_kWh: t.facilityKWh },
        source: "Norwegian Ecom Act data-centre regulation: registration includes total energy use",
      }),
      figure("cryptoShare", "Share of power used for cryptocurrency mining", "", null, {
        formula: "—",
        source: "not known to Fjord: it schedules tenants' jobs without knowing their content",
      }),
    ],
  };
}

function prefixed(prefix: string, path: CoolingPath): Record<string, number> {
  return {
    [`${prefix}.freeCoolingMaxC`]: path.freeCoolingMaxC,
    [`${prefix}.auxPowerShare`]: path.auxPowerShare,
  };
}
