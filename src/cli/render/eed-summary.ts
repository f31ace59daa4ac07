// What `fjord report` prints when it is done: per data centre the headline indicators, or a tenant's totals
// and months. The files have the rest.
import Table from "cli-table3";
import type { TenantFootprint } from "../../accounting/footprint-report.ts";
import { type CoveredEedReport, spanText } from "../../report/eed-coverage.ts";
import { fmtIndex, fmtQuantity } from "../../report/format.ts";

const STYLE = { head: [], border: [], compact: true };

export function eedSummary(report: CoveredEedReport): string {
  const table = new Table({
    head: [
      "site",
      "scheme",
      "≥ 500 kW",
      "EDC kWh",
      "EIT kWh",
      "PUE",
      "WUE L/kWh",
      "ERF",
      "REF",
      "CUE loc.",
      "CUE mkt.",
    ],
    style: STYLE,
  });
  for (const dc of report.dataCentres) {
    const get = (section: string, key: string) => {
      const v = dc.sections.find((s) => s.id === section)?.figures.find((f) => f.key === key)?.value;
      return typeof v === "number" ? v : null;
    };
    table.push([
      dc.siteId,
      dc.scheme,
      dc.inScope ? "yes" : "no",
      fmtQuantity(get("annex-ii", "EDC")),
      fmtQuantity(get("annex-ii", "EIT")),
      fmtIndex(get("annex-iii", "PUE")),
      fmtIndex(get("annex-iii", "WUE")),
      fmtIndex(get("annex-iii", "ERF")),
      fmtIndex(get("annex-iii", "REF")),
      fmtIndex(get("fjord", "CUE-location")),
      fmtIndex(get("fjord", "CUE-market")),
    ]);
  }
  const year = new Date(report.period.fromMs).getUTCFullYear();
  const { coverage } = report;
  const sites = (reported: boolean) =>
    coverage.sites
      .filter((s) => s.reported === reported)
      .map((s) => `  ${s.siteId}: ${s.reason}`)
      .join("\n") || "  none";
  return [
    `Data-centre report ${year} (${report.inputs.signals})`,
    `Figures rest on ${spanText(coverage)}: ${coverage.basis}`,
    table.toString(),
    `Sites reported:\n${sites(true)}`,
    `Sites left out:\n${sites(false)}`,
    "",
  ].join("\n");
}

export function footprintSummary(footprint: TenantFootprint): string {
  const t = footprint.total;
  const headline =
    `${footprint.tenantId}: ${footprint.jobs.length} jobs, ${fmtQuantity(t.gpuHours)} GPU-hours, ` +
    `${fmtQuantity(t.facilityKWh)} kWh (IT ${fmtQuantity(t.itKWh)}), ${fmtQuantity(t.waterL)} L water, ` +
    `${fmtQuantity(t.co2eLocationKg)} kg CO2e location-based, ${fmtQuantity(t.co2eMarketKg)} kg market-based`;
  const table = new Table({
    head: [
      "month",
      "GPU-hours",
      "IT kWh",
      "facility kWh",
      "water L",
      "heat reused kWh",
      "kg CO2e loc.",
      "kg CO2e mkt.",
    ],
    style: STYLE,
  });
  for (const m of footprint.months) {
    const figures = [
      m.gpuHours,
      m.itKWh,
      m.facilityKWh,
      m.waterL,
      m.heatReusedKWh,
      m.co2eLocationKg,
      m.co2eMarketKg,
    ];
    table.push([m.month, ...figures.map(fmtQuantity)]);
  }
  return `${headline}\n${table.toString()}\n`;
}
