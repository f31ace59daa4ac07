// The report files' CSV: the EED report as one row per figure, the footprint as one row per job and month.
// Numbers are rounded as in the JSON; text is quoted per RFC 4180 when it needs to be.
import type { FigureValue } from "../../accounting/figure.ts";
import { FOOTPRINT_FIELDS, type Footprint } from "../../accounting/footprint.ts";
import type { TenantFootprint } from "../../accounting/footprint-report.ts";
import type { CoveredEedReport } from "../../report/eed-coverage.ts";
import { fmtUtc } from "../../report/format.ts";
import { roundSignificant } from "../../report/round.ts";

/** Section `coverage` first: the span the figures rest on, then every site, reported or not, and why. */
export function eedCsv(report: CoveredEedReport): string {
  const { coverage } = report;
  const rows: FigureValue[][] = [
    ["siteId", "section", "key", "symbol", "label", "unit", "value", "formula", "source"],
    [
      "",
      "coverage",
      "from",
      null,
      "Figures rest on hours from",
      "UTC",
      fmtUtc(coverage.fromMs),
      "",
      coverage.basis,
    ],
    [
      "",
      "coverage",
      "to",
      null,
      "Figures rest on hours until",
      "UTC",
      fmtUtc(coverage.toMs),
      "",
      coverage.basis,
    ],
    ["", "coverage", "hours", null, "Hours the figures rest on", "h", coverage.hours, "", coverage.basis],
    ...coverage.sites.map((s): FigureValue[] => [
      s.siteId,
      "coverage",
      "reported",
      null,
      s.name,
      "",
      s.reported ? "yes" : "no",
      "",
      `${s.reason}; ${s.runs} runs in the span`,
    ]),
  ];
  for (const dc of report.dataCentres)
    for (const section of dc.sections)
      for (const f of section.figures)
        rows.push([dc.siteId, section.id, f.key, f.symbol, f.label, f.unit, f.value, f.formula, f.source]);
  return csv(rows);
}

/** Per job and month, then each job's total (month `all`), then the tenant's months and total (job `all`). */
export function footprintCsv(footprint: TenantFootprint): string {
  const rows: FigureValue[][] = [["jobId", "tierId", "month", ...FOOTPRINT_FIELDS]];
  const row = (jobId: string, tierId: string, month: string, f: Footprint) =>
    rows.push([jobId, tierId, month, ...FOOTPRINT_FIELDS.map((k) => f[k])]);
  for (const job of footprint.jobs) {
    for (const m of job.months) row(job.jobId, job.tierId, m.month, m);
    row(job.jobId, job.tierId, "all", job.total);
  }
  for (const m of footprint.months) row("all", "", m.month, m);
  row("all", "", "all", footprint.total);
  return csv(rows);
}

function csv(rows: readonly FigureValue[][]): string {
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

function cell(value: FigureValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(roundSignificant(value)) : "";
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
