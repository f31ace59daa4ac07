// Hourly signals per site: outdoor temperature, the grid's carbon intensity and the day-ahead price. Index h
// is hour h of the series, which starts at `fromMs` (a whole UTC hour).
import { MS_PER_HOUR, type Period } from "./period.ts";

export interface SiteSignals {
  fromMs: number;
  outdoorTemperatureC: Float64Array;
  carbonGPerKWh: Float64Array;
  priceEurPerMWh: Float64Array;
}

export interface Signals {
  /** Where the series came from, for the report: a file name or the synthetic generator and its seed. */
  source: string;
  bySite: Map<string, SiteSignals>;
}

/** Offset of the period's first hour in the series, or null when the series does not cover the period. */
export function periodOffset(series: SiteSignals, period: Period): number | null {
  const first = (period.fromMs - series.fromMs) / MS_PER_HOUR;
  const hours = (period.toMs - period.fromMs) / MS_PER_HOUR;
  if (!Number.isInteger(first) || first < 0 || first + hours > series.outdoorTemperatureC.length) return null;
  return first;
}
