// What an EED report's figures rest on, stated in the report itself: the span of hours they sum (and what it
// leaves out or models), and every site of the facility with whether it is reported and why. Without it a
// reader cannot tell a year of idle GPUs from a year nobody recorded, nor why a site is missing.
import type { EedReport } from "../accounting/eed-report.ts";
import type { Facility } from "../model/types.ts";
import { fmtUtc } from "./format.ts";

export interface SiteCoverage {
  siteId: string;
  name: string;
  reported: boolean;
  /** Why the site is in or out: "tenant-owned site (aurora-labs)", "below 500 kW: reporting is voluntary"… */
  reason: string;
  /** Runs that held GPUs at the site within the span. */
  runs: number;
}

export interface EedCoverage {
  /** The hours the figures sum: the report's period. */
  fromMs: number;
  toMs: number;
  hours: number;
  /** One sentence: where the span's data comes from and what happens to hours outside it. */
  basis: string;
  sites: SiteCoverage[];
}

export type CoveredEedReport = EedReport & { coverage: EedCoverage };

/**
 * The report with its coverage: `basis` says what the span rests on; `runsBySite` counts the runs per site
 * in the span; `askedSite` is the one site asked for by name, if any.
 */
export function withCoverage(
  report: EedReport,
  facility: Facility,
  context: { basis: string; runsBySite: ReadonlyMap<string, number>; askedSite: string | undefined },
): CoveredEedReport {
  const reported = new Map(report.dataCentres.map((dc) => [dc.siteId, dc]));
  const sites = facility.sites.map((site): SiteCoverage => {
    const runs = context.runsBySite.get(site.id) ?? 0;
    const dc = reported.get(site.id);
    const noRuns = runs === 0 ? "; no runs in the span" : "";
    if (dc !== undefined) {
      const scope = dc.inScope ? "500 kW or more: reporting applies" : "below 500 kW: reporting is voluntary";
      return { siteId: site.id, name: site.name, reported: true, reason: `${scope}${noRuns}`, runs };
    }
    return { siteId: site.id, name: site.name, reported: false, reason: whyLeftOut(site, context), runs };
  });
  const { fromMs, toMs, hours } = report.period;
  return { ...report, coverage: { fromMs, toMs, hours, basis: context.basis, sites } };
}

function whyLeftOut(site: Facility["sites"][number], context: { askedSite: string | undefined }): string {
  if (context.askedSite !== undefined) return `not asked for (only ${context.askedSite} was)`;
  if (site.operator !== "facility")
    return `tenant-owned site (${site.operator.tenantId}): its owner reports it`;
  return "no reporting scheme applies (name the site for a voluntary report)";
}

/** Runs per site, counting each run once. */
export function runsBySite(runs: Iterable<{ siteId: string | null }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { siteId } of runs) if (siteId !== null) counts.set(siteId, (counts.get(siteId) ?? 0) + 1);
  return counts;
}

/** "2026-11-29T10:00Z → 2026-12-06T17:00Z (175 h)". */
export function spanText(coverage: Pick<EedCoverage, "fromMs" | "toMs" | "hours">): string {
  return `${fmtUtc(coverage.fromMs)} → ${fmtUtc(coverage.toMs)} (${coverage.hours.toLocaleString("en-US")} h)`;
}
