// The hourly signals behind live usage (outdoor temperature, grid carbon intensity, day-ahead price; see
// docs/energy.md). Either a signals file, read and checked whole once at start, or the seeded synthetic
// series `fjord report` uses: generated per calendar year, exactly as `fjord report footprint --period
// <year>` generates them, so an hour's figures never depend on which period a request happens to name.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { siteEnergy } from "../accounting/energy-schema.ts";
import { hoursIn, MS_PER_HOUR, type Period, yearPeriod } from "../accounting/period.ts";
import { periodOffset, type Signals, type SiteSignals } from "../accounting/signals.ts";
import { syntheticSignals } from "../accounting/synthetic-signals.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import type { Facility } from "../model/types.ts";
import { readSignalsCsv } from "../signals/read-signals-csv.ts";
import { readCsvTable } from "../workloads/csv-table.ts";

export type SignalsReading = { ok: true; signals: Signals } | { ok: false; problem: string };

export interface EnergyContext {
  /** Where the signals come from, in words, for the usage response. */
  signalsSource: string;
  /** Every site's hourly signals over a whole-hour period, or a sentence saying why there are none. */
  signalsFor(period: Period): SignalsReading;
}

/** Seeded synthetic signals for every site, with each site's shapes from the facility file. */
export function syntheticEnergyContext(facility: Facility, seed: number): EnergyContext {
  const source = `synthetic (seed ${seed}; each site's shapes from the facility file)`;
  return {
    signalsSource: source,
    signalsFor: (period) => ({
      ok: true,
      signals: {
        source,
        bySite: new Map(
          facility.sites.map((site) => [
            site.id,
            calendarYearsOf(period, (year) =>
              syntheticSignals(siteEnergy(site).syntheticSignals, year, seed, site.id),
            ),
          ]),
        ),
      },
    }),
  };
}

/**
 * A signals file for every site of the facility. It must give every hour from its first to its last for
 * every site, so every problem shows at start (as an InputError naming the file, line and column) rather
 * than in some later request.
 */
export function fileEnergyContext(path: string, facility: Facility): EnergyContext {
  const text = readFileSync(path, "utf8");
  const span = spanOfTimes(text, path);
  const siteIds = facility.sites.map((s) => s.id);
  const signals = readSignalsCsv(text, path, { period: span, siteIds, knownSiteIds: siteIds });
  if (hoursIn(span) === 0) throw new InputError(path, [issueAt([], "gives no hours")]);
  const covered = `${isoHour(span.fromMs)} to ${isoHour(span.toMs)}`;
  const source = `signals file ${basename(path)} (${covered})`;
  return {
    signalsSource: source,
    signalsFor: (period) =>
      siteIds.every((id) => periodOffset(signals.bySite.get(id)!, period) !== null)
        ? { ok: true, signals }
        : { ok: false, problem: `the hourly signals cover ${covered} only` },
  };
}

/** One series over the calendar years the period touches, each year's hours as `year` gives them. */
function calendarYearsOf(period: Period, year: (calendarYear: Period) => SiteSignals): SiteSignals {
  const first = new Date(period.fromMs).getUTCFullYear();
  const last = new Date(period.toMs - 1).getUTCFullYear();
  const span: Period = { fromMs: yearPeriod(first).fromMs, toMs: yearPeriod(last).toMs };
  const hours = hoursIn(span);
  const out: SiteSignals = {
    fromMs: span.fromMs,
    outdoorTemperatureC: new Float64Array(hours),
    carbonGPerKWh: new Float64Array(hours),
    priceEurPerMWh: new Float64Array(hours),
  };
  for (let y = first; y <= last; y++) {
    const calendarYear = yearPeriod(y);
    const series = year(calendarYear);
    const at = (calendarYear.fromMs - span.fromMs) / MS_PER_HOUR;
    out.outdoorTemperatureC.set(series.outdoorTemperatureC, at);
    out.carbonGPerKWh.set(series.carbonGPerKWh, at);
    out.priceEurPerMWh.set(series.priceEurPerMWh, at);
  }
  return out;
}

/**
 * The whole hours from the file's first `time` to its last. Rows whose time does not parse are skipped
 * here; reading the file over this span reports them with their lines.
 */
function spanOfTimes(text: string, path: string): Period {
  const table = readCsvTable(text, path);
  const column = table.header.indexOf("time");
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const row of table.rows) {
    const atMs = Date.parse((row.fields[column] ?? "").trim());
    if (!Number.isFinite(atMs)) continue;
    first = Math.min(first, atMs);
    last = Math.max(last, atMs);
  }
  if (first > last) return { fromMs: 0, toMs: 0 };
  return {
    fromMs: Math.floor(first / MS_PER_HOUR) * MS_PER_HOUR,
    toMs: Math.floor(last / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR,
  };
}

function isoHour(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}
