// The hours accounting works in. Signals are hourly and the regulation reports calendar years, so every
// period is a whole number of UTC hours; hour h of a period covers [fromMs + h·1 h, fromMs + (h+1)·1 h).

export const MS_PER_HOUR = 3_600_000;
export const S_PER_HOUR = 3600;

export interface Period {
  fromMs: number;
  toMs: number;
}

/** The calendar year in UTC. */
export function yearPeriod(year: number): Period {
  return { fromMs: Date.UTC(year, 0, 1), toMs: Date.UTC(year + 1, 0, 1) };
}

export function hoursIn(period: Period): number {
  return (period.toMs - period.fromMs) / MS_PER_HOUR;
}

export function isHourAligned(ms: number): boolean {
  return ms % MS_PER_HOUR === 0;
}

/** Calendar month (0 = January) and hour of the day, both UTC, of hour h of the period. */
export function monthAndHourOf(period: Period, h: number): { month: number; hourOfDay: number } {
  const d = new Date(period.fromMs + h * MS_PER_HOUR);
  return { month: d.getUTCMonth(), hourOfDay: d.getUTCHours() };
}

/** "2026-03": the UTC month an instant falls in. */
export function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The months (YYYY-MM) a period touches, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  const d = new Date(period.fromMs);
  let cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  while (cursor < period.toMs) {
    months.push(monthKey(cursor));
    const c = new Date(cursor);
    cursor = Date.UTC(c.getUTCFullYear(), c.getUTCMonth() + 1, 1);
  }
  return months;
}

/**
 * Calls `visit(h, seconds)` for every hour of the period that [startMs, endMs) overlaps, with the seconds of
 * overlap. The interval is clipped to the period first.
 */
export function forEachHourOverlap(
  period: Period,
  startMs: number,
  endMs: number,
  visit: (h: number, seconds: number) => void,
): void {
  const from = Math.max(startMs, period.fromMs);
  const to = Math.min(endMs, period.toMs);
  if (to <= from) return;
  const first = Math.floor((from - period.fromMs) / MS_PER_HOUR);
  const last = Math.ceil((to - period.fromMs) / MS_PER_HOUR) - 1;
  for (let h = first; h <= last; h++) {
    const hourStart = period.fromMs + h * MS_PER_HOUR;
    const seconds = (Math.min(to, hourStart + MS_PER_HOUR) - Math.max(from, hourStart)) / 1000;
    if (seconds > 0) visit(h, seconds);
  }
}
