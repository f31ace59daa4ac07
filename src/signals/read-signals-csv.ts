// Hourly signals from CSV (docs/energy.md, "Signals file"):
//
//   time,site,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh
//   2026-01-01T00:00:00Z,no-kvandal,-3.2,16.1,24.5
//
// `time` is the start of the hour (ISO 8601 with Z or an offset, on a whole hour). `site` is optional: without
// the column every row applies to every site. Every hour of the period must be there, once, for every site
// accounted for. Problems name the line and the column.

import { hoursIn, isHourAligned, MS_PER_HOUR, type Period } from "../accounting/period.ts";
import type { Signals, SiteSignals } from "../accounting/signals.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import { unknownReference } from "../model/input-schemas.ts";
import { readNumberCell } from "../workloads/csv-cells.ts";
import { readCsvTable } from "../workloads/csv-table.ts";
import { IssueList } from "../workloads/issue-list.ts";

const TIME = "time";
const SITE = "site";
const VALUES = {
  outdoorTemperatureC: { integer: false, min: -90, max: 70 },
  carbonIntensityGPerKWh: { integer: false, min: 0 },
  spotPriceEurPerMWh: { integer: false, min: -10_000, max: 100_000 },
} as const;
type ValueColumn = keyof typeof VALUES;
const VALUE_COLUMNS = Object.keys(VALUES) as ValueColumn[];
const REQUIRED = [TIME, ...VALUE_COLUMNS];
const KNOWN = [TIME, SITE, ...VALUE_COLUMNS];
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** One row per missing hour would drown the message; the first few and a count are enough. */
const MISSING_SHOWN = 3;

export interface SignalsWanted {
  period: Period;
  /** Sites whose series must cover the period. */
  siteIds: readonly string[];
  /** Every site of the facility: rows for others are typos. */
  knownSiteIds: readonly string[];
}

export function readSignalsCsv(text: string, source: string, wanted: SignalsWanted): Signals {
  const { period, siteIds } = wanted;
  const table = readCsvTable(text, source);
  const column = new Map<string, number>();
  const header = new IssueList();
  table.header.forEach((name, i) => {
    if (!KNOWN.includes(name))
      header.add([name], `is not a known column (known: ${KNOWN.join(", ")})`, table.headerLine);
    else if (column.has(name)) header.add([name], "is repeated", table.headerLine);
    else column.set(name, i);
  });
  for (const name of REQUIRED)
    if (!column.has(name)) header.add([name], "is a required column and is missing", table.headerLine);
  header.throwIfAny(source);

  const hours = hoursIn(period);
  const filled = new Set(siteIds);
  const known = new Set(wanted.knownSiteIds);
  const perSite = column.has(SITE);
  const series = new Map(siteIds.map((id) => [id, emptySeries(period.fromMs, hours)]));
  const firstLine = new Map<string, Int32Array>(siteIds.map((id) => [id, new Int32Array(hours)]));
  const issues = new IssueList();
  for (const row of table.rows) {
    if (issues.full) break;
    const cell = (name: string) => (row.fields[column.get(name)!] ?? "").trim();
    const time = cell(TIME);
    const atMs = ZONED_TIME.test(time) ? Date.parse(time) : Number.NaN;
    if (!Number.isFinite(atMs)) {
      issues.add(
        [TIME],
        `must be an ISO 8601 time with Z or an offset, like 2026-01-01T00:00:00Z, not "${time}"`,
        row.line,
      );
      continue;
    }
    if (!isHourAligned(atMs)) {
      issues.add([TIME], `must be the start of an hour (minutes and seconds 0), not "${time}"`, row.line);
      continue;
    }
    const values: Partial<Record<ValueColumn, number>> = {};
    for (const name of VALUE_COLUMNS) {
      const reading = readNumberCell(cell(name), VALUES[name]);
      if (reading.ok) values[name] = reading.value;
      else issues.add([name], reading.problem, row.line);
    }
    if (Object.keys(values).length !== VALUE_COLUMNS.length) continue;
    const h = (atMs - period.fromMs) / MS_PER_HOUR;
    // Rows outside the period are allowed: one file can serve several years.
    if (h < 0 || h >= hours) continue;
    if (perSite && !known.has(cell(SITE))) {
      issues.add([SITE], unknownReference("site", cell(SITE), wanted.knownSiteIds), row.line);
      continue;
    }
    const targets = perSite ? [cell(SITE)] : siteIds;
    for (const siteId of targets) {
      if (!filled.has(siteId)) continue;
      const seen = firstLine.get(siteId)!;
      if (seen[h]! > 0) {
        issues.add(
          [TIME],
          `repeats hour ${time}${perSite ? ` for site ${siteId}` : ""} (first given at line ${seen[h]})`,
          row.line,
        );
        break;
      }
      seen[h] = row.line;
      const s = series.get(siteId)!;
      s.outdoorTemperatureC[h] = values.outdoorTemperatureC!;
      s.carbonGPerKWh[h] = values.carbonIntensityGPerKWh!;
      s.priceEurPerMWh[h] = values.spotPriceEurPerMWh!;
    }
  }
  issues.throwIfAny(source);

  const missing = siteIds.flatMap((siteId) => {
    const seen = firstLine.get(siteId)!;
    const hoursMissing = [...seen.keys()].filter((h) => seen[h] === 0);
    if (hoursMissing.length === 0) return [];
    const shown = hoursMissing
      .slice(0, MISSING_SHOWN)
      .map((h) => `${new Date(period.fromMs + h * MS_PER_HOUR).toISOString().slice(0, 16)}Z`);
    const more =
      hoursMissing.length > MISSING_SHOWN ? ` and ${hoursMissing.length - MISSING_SHOWN} more` : "";
    const whose = perSite ? `site ${siteId}` : "the file";
    return [
      issueAt([], `${whose} lacks ${hoursMissing.length} hours of the period: ${shown.join(", ")}${more}`),
    ];
  });
  if (missing.length > 0) throw new InputError(source, missing);
  return { source, bySite: series };
}

function emptySeries(fromMs: number, hours: number): SiteSignals {
  return {
    fromMs,
    outdoorTemperatureC: new Float64Array(hours),
    carbonGPerKWh: new Float64Array(hours),
    priceEurPerMWh: new Float64Array(hours),
  };
}
