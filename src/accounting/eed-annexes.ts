// Annexes I–III of Delegated Regulation (EU) 2024/1364 for one data centre: information (as given in the
// facility file, or derived from its hardware), key performance indicators (modelled) and the sustainability
// indicators computed from them. docs/energy.md records which field names were confirmed against the text.
import type { Site } from "../model/types.ts";
import type { SiteAccount, SiteTotals } from "./account.ts";
import { type Figure, type FigureSection, figure } from "./figure.ts";
import { erf, pue, ref, wue } from "./kpis.ts";

const REGULATION = "Delegated Regulation (EU) 2024/1364";
const ANNEX_I = `${REGULATION}, Annex I`;
const ANNEX_II = `${REGULATION}, Annex II`;
const ANNEX_III = `${REGULATION}, Annex III`;
const NOT_MODELLED = "not measured or modelled by Fjord";

function given(
  key: string,
  label: string,
  unit: string,
  value: string | number | null,
  field: string,
): Figure {
  return figure(key, label, unit, value, {
    formula: value === null ? "not given" : "as given",
    source:
      value === null
        ? `not given in the facility file (energy.reporting.${field})`
        : `facility file: energy.reporting.${field}`,
  });
}

export function annexI(account: SiteAccount, site: Site, installedKW: number): FigureSection {
  const r = account.model.reporting;
  const power = account.power;
  return {
    id: "annex-i",
    title: "Annex I — information about the data centre",
    figures: [
      figure("name", "Name of the data centre", "", site.name, {
        formula: "as given",
        source: "facility file: sites[].name",
      }),
      given("owner", "Owner", "", r.owner, "owner"),
      given("operator", "Operator", "", r.operator, "operator"),
      figure("country", "Country", "", site.country, {
        formula: "as given",
        source: "facility file: sites[].country",
      }),
      given("lauCode", "Location (Eurostat LAU code)", "", r.lauCode, "lauCode"),
      given("type", "Type (enterprise, colocation, co-hosting)", "", r.type, "type"),
      given(
        "operationsStartedOn",
        "Date operations started",
        "",
        r.operationsStartedOn,
        "operationsStartedOn",
      ),
      given("totalFloorArea", "Total floor area", "m²", r.totalFloorAreaM2, "totalFloorAreaM2"),
      given(
        "computerRoomFloorArea",
        "Computer room floor area",
        "m²",
        r.computerRoomFloorAreaM2,
        "computerRoomFloorAreaM2",
      ),
      figure("PDIT", "Installed information technology power demand", "kW", installedKW, {
        symbol: "PDIT",
        formula:
          r.installedItPowerW === null
            ? "Σ over nodes (node overhead + GPUs × GPU max power) / 1000"
            : "as given (energy.reporting.installedItPowerW) / 1000",
        operands: { gpus: power.gpus, nodeTypes: power.nodeTypeIds.join(" "), fullLoadW: power.fullLoadW },
        source: ANNEX_I,
      }),
      given(
        "electricalRedundancy",
        "Electrical redundancy level",
        "",
        r.electricalRedundancy,
        "electricalRedundancy",
      ),
      given("coolingRedundancy", "Cooling redundancy level", "", r.coolingRedundancy, "coolingRedundancy"),
    ],
  };
}

export function annexII(account: SiteAccount): FigureSection {
  const t = account.totals;
  const { model, power } = account;
  const coolingKWh = t.liquidCoolingKWh + t.airCoolingKWh;
  const renewable = t.onSiteKWh + t.ppaKWh + t.guaranteesKWh;
  const winM3 = t.waterL / 1000;
  return {
    id: "annex-ii",
    title: "Annex II — key performance indicators",
    figures: [
      figure("EDC", "Total energy consumption", "kWh", t.facilityKWh, {
        symbol: "EDC",
        formula: "EIT + cooling + UPS losses + transformer losses + auxiliary, hour by hour",
        operands: {
          EIT_kWh: t.itKWh,
          cooling_kWh: coolingKWh,
          upsLoss_kWh: t.upsLossKWh,
          transformerLoss_kWh: t.transformerLossKWh,
          auxiliary_kWh: t.auxiliaryKWh,
          upsEfficiency: model.electrical.upsEfficiency,
          transformerEfficiency: model.electrical.transformerEfficiency,
        },
        source: `${ANNEX_II}; cooling and losses per docs/energy.md`,
      }),
      figure(
        "EDC-BG",
        "of which from back-up generators",
        "kWh",
        Math.min(model.electrical.backupGeneratorKWh, t.facilityKWh),
        {
          symbol: "EDC-BG",
          formula: "as given (energy.electrical.backupGeneratorKWh); Fjord does not model outages",
          source: ANNEX_II,
        },
      ),
      figure("EIT", "Information technology energy consumption", "kWh", t.itKWh, {
        symbol: "EIT",
        formula:
          "Σ hours [busy GPU-s × (overhead + idle + u × (max − idle)) + idle GPU-s × (overhead + idle)] / 3.6e6, at the UPS outputs",
        operands: {
          gpuHoursBusy: t.gpuHoursBusy,
          gpuHoursAvailable: t.gpuHoursAvailable,
          overheadPerGpuW: power.overheadPerGpuW,
          idlePerGpuW: power.idlePerGpuW,
          dynamicPerGpuW: power.dynamicPerGpuW,
        },
        source: `${ANNEX_II}; power model per docs/energy.md`,
      }),
      figure("WIN", "Total water input", "m³", winM3, {
        symbol: "WIN",
        formula:
          "Σ hours [EIT_h × make-up L/kWh + (outdoor ≥ adiabatic threshold ? rejected heat_h × spray L/kWh : 0)] / 1000",
        operands: {
          EIT_kWh: t.itKWh,
          makeUpLPerKWh: model.water.makeUpLPerKWh,
          adiabaticFromC: model.water.adiabaticFromC,
          adiabaticLPerKWh: model.water.adiabaticLPerKWh,
          waterL: t.waterL,
        },
        source: ANNEX_II,
      }),
      figure("WIN-POT", "Potable water input", "m³", winM3 * model.water.potableShare, {
        symbol: "WIN-POT",
        formula: "WIN × potable share",
        operands: { WIN_m3: winM3, potableShare: model.water.potableShare },
        source: ANNEX_II,
      }),
      figure("EREUSE", "Waste heat reused", "kWh", t.heatReusedKWh, {
        symbol: "EREUSE",
        formula:
          "Σ hours Σ offtakers (in order) min(captured heat left, source heat the offtaker needs that hour)",
        operands: {
          heatCaptured_kWh: t.heatCapturedKWh,
          capturedShare: model.heatRecovery.capturedShare,
          offtakers: model.heatRecovery.offtakers.map((o) => o.id).join(" ") || "none",
        },
        source: `${ANNEX_II}: at the hand-over point`,
      }),
      figure(
        "wasteHeatTemperature",
        "Average waste heat temperature",
        "°C",
        t.heatReusedKWh > 0 ? model.heatRecovery.supplyTemperatureC : null,
        {
          formula: "the liquid loop's supply temperature, where heat was reused",
          operands: { supplyTemperatureC: model.heatRecovery.supplyTemperatureC },
          source: ANNEX_II,
        },
      ),
      given(
        "itIntakeAirSetPoint",
        "IT intake air temperature set point",
        "°C",
        model.reporting.itIntakeAirSetPointC,
        "itIntakeAirSetPointC",
      ),
      figure("ERES-TOT", "Renewable energy consumption", "kWh", renewable, {
        symbol: "ERES-TOT",
        formula: "ERES-GOO + ERES-PPA + ERES-OS",
        operands: { ERES_GOO_kWh: t.guaranteesKWh, ERES_PPA_kWh: t.ppaKWh, ERES_OS_kWh: t.onSiteKWh },
        source: `${ANNEX_II}: no energy counted twice`,
      }),
      sourceFigure("ERES-GOO", "from guarantees of origin", t.guaranteesKWh, account, "guarantees-of-origin"),
      sourceFigure("ERES-PPA", "from power purchase agreements", t.ppaKWh, account, "ppa"),
      sourceFigure("ERES-OS", "from on-site renewable generation", t.onSiteKWh, account, "on-site"),
      figure("dataTraffic", "Incoming and outgoing data traffic", "", null, {
        formula: "—",
        source: NOT_MODELLED,
      }),
      figure("dataStoredProcessed", "Data stored and processed", "", null, {
        formula: "—",
        source: NOT_MODELLED,
      }),
    ],
  };
}

function sourceFigure(key: string, label: string, kWh: number, account: SiteAccount, kind: string): Figure {
  const sources = account.model.supply.sources.filter((s) => s.kind === kind);
  return figure(key, label, "kWh", kWh, {
    symbol: key,
    formula:
      "Σ hours min(uncovered facility energy, the source's share × EDC_h or its power × 1 h), on-site first, then PPAs, then guarantees",
    operands: Object.fromEntries(
      sources.map((s) => [s.id, "share" in s.amount ? `share ${s.amount.share}` : `${s.amount.powerW} W`]),
    ),
    source: `${ANNEX_II}; facility file: energy.supply.sources`,
  });
}

export function annexIII(t: SiteTotals): FigureSection {
  const renewable = t.onSiteKWh + t.ppaKWh + t.guaranteesKWh;
  return {
    id: "annex-iii",
    title: "Annex III — data centre sustainability indicators",
    figures: [
      figure("PUE", "Power usage effectiveness", "", pue(t.facilityKWh, t.itKWh), {
        symbol: "PUE",
        formula: "EDC / EIT",
        operands: { EDC_kWh: t.facilityKWh, EIT_kWh: t.itKWh },
        source: `${ANNEX_III}; ISO/IEC 30134-2`,
      }),
      figure("WUE", "Water usage effectiveness", "L/kWh", wue(t.waterL, t.itKWh), {
        symbol: "WUE",
        formula: "WIN / EIT (m³/MWh = L/kWh)",
        operands: { WIN_L: t.waterL, EIT_kWh: t.itKWh },
        source: `${ANNEX_III}; ISO/IEC 30134-9`,
      }),
      figure("ERF", "Energy reuse factor", "", erf(t.heatReusedKWh, t.facilityKWh), {
        symbol: "ERF",
        formula: "EREUSE / EDC",
        operands: { EREUSE_kWh: t.heatReusedKWh, EDC_kWh: t.facilityKWh },
        source: `${ANNEX_III}; ISO/IEC 30134-6`,
      }),
      figure("REF", "Renewable energy factor", "", ref(renewable, t.facilityKWh), {
        symbol: "REF",
        formula: "ERES-TOT / EDC",
        operands: { ERES_TOT_kWh: renewable, EDC_kWh: t.facilityKWh },
        source: `${ANNEX_III}; ISO/IEC 30134-3`,
      }),
    ],
  };
}
