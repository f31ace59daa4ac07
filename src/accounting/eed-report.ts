// The annual data-centre report in the structure of Delegated Regulation (EU) 2024/1364: Annex I (information
// about the data centre), Annex II (key performance indicators), Annex III (sustainability indicators), then
// Fjord's own figures (CUE, emissions on both bases, water saved, heat per offtaker). One report per site:
// each site is a data centre. Every figure carries its formula and operands (figure.ts). Field symbols follow
// the regulation as docs/energy.md records what was and was not confirmed against its text.
import { unknownReference } from "../model/input-schemas.ts";
import type { Facility, ReportingScheme, Site } from "../model/types.ts";
import type { EnergyAccount, SiteAccount, SiteTotals } from "./account.ts";
import { annexI, annexII, annexIII } from "./eed-annexes.ts";
import { fjordFigures, nkom } from "./eed-extras.ts";
import { siteEnergy } from "./energy-schema.ts";
import type { FigureSection } from "./figure.ts";
import { pue } from "./kpis.ts";
import type { Period } from "./period.ts";

/** Installed IT power demand from which Article 12 of Directive (EU) 2023/1791 requires a report. */
const EED_THRESHOLD_KW = 500;
const REGULATION = "Delegated Regulation (EU) 2024/1364";

export interface ReportInputs {
  facility: string;
  simulation: string;
  run: string;
  /** The simulated span the schedule covers; outside it GPUs are counted idle. */
  scheduleFromMs: number;
  scheduleToMs: number;
  signals: string;
}

export interface MonthlyRow {
  month: string;
  itKWh: number;
  facilityKWh: number;
  pue: number | null;
  waterL: number;
  heatReusedKWh: number;
  renewableKWh: number;
  co2eLocationKg: number;
  co2eMarketKg: number;
  gpuUtilisation: number | null;
}

export interface DataCentreReport {
  siteId: string;
  name: string;
  scheme: ReportingScheme;
  /** Installed IT power demand at or above the 500 kW threshold. */
  inScope: boolean;
  sections: FigureSection[];
  monthly: MonthlyRow[];
}

export interface EedReport {
  format: "fjord-eed-report/1";
  regulation: string;
  period: { fromMs: number; toMs: number; hours: number };
  inputs: ReportInputs;
  dataCentres: DataCentreReport[];
}

/**
 * The sites a report covers: the one asked for, or every facility-operated site with a reporting scheme;
 * or why there are none (the reason names no option: the caller says which one it was).
 */
export function reportSites(
  facility: Facility,
  site: string | undefined,
): { ok: true; siteIds: string[] } | { ok: false; reason: string } {
  if (site !== undefined) {
    const known = facility.sites.map((s) => s.id);
    return known.includes(site)
      ? { ok: true, siteIds: [site] }
      : { ok: false, reason: unknownReference("site", site, known) };
  }
  const siteIds = facility.sites
    .filter((s) => s.operator === "facility" && siteEnergy(s).reporting.scheme !== "none")
    .map((s) => s.id);
  return siteIds.length > 0
    ? { ok: true, siteIds }
    : {
        ok: false,
        reason: "no facility-operated site has a reporting scheme (energy.reporting.scheme); name a site",
      };
}

export function eedReport(account: EnergyAccount, facility: Facility, inputs: ReportInputs): EedReport {
  return {
    format: "fjord-eed-report/1",
    regulation: `${REGULATION} (rating scheme for data centres) under Directive (EU) 2023/1791, Article 12`,
    period: periodOf(account.period),
    inputs,
    dataCentres: account.sites.map((s) => dataCentre(s, facility.sites.find((x) => x.id === s.siteId)!)),
  };
}

function periodOf(period: Period) {
  return { ...period, hours: (period.toMs - period.fromMs) / 3_600_000 };
}

function dataCentre(account: SiteAccount, site: Site): DataCentreReport {
  const { reporting } = account.model;
  const installedKW = (reporting.installedItPowerW ?? account.power.fullLoadW) / 1000;
  const sections = [
    annexI(account, site, installedKW),
    annexII(account),
    annexIII(account.totals),
    fjordFigures(account),
  ];
  if (reporting.scheme === "no-nkom") sections.push(nkom(account.totals));
  return {
    siteId: site.id,
    name: site.name,
    scheme: reporting.scheme,
    inScope: installedKW >= EED_THRESHOLD_KW,
    sections,
    monthly: account.monthly.map(({ month, totals }) => monthlyRow(month, totals)),
  };
}

function monthlyRow(month: string, t: SiteTotals): MonthlyRow {
  return {
    month,
    itKWh: t.itKWh,
    facilityKWh: t.facilityKWh,
    pue: pue(t.facilityKWh, t.itKWh),
    waterL: t.waterL,
    heatReusedKWh: t.heatReusedKWh,
    renewableKWh: t.onSiteKWh + t.ppaKWh + t.guaranteesKWh,
    co2eLocationKg: t.co2eLocationKg,
    co2eMarketKg: t.co2eMarketKg,
    gpuUtilisation: t.gpuHoursAvailable > 0 ? t.gpuHoursBusy / t.gpuHoursAvailable : null,
  };
}
