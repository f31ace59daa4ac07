// Numbers as the report shows them: en-US with thousands separators, fixed so the same inputs give the
// same bytes on every host. A figure that is undefined (a percentile of no jobs) shows as an em dash.
import { formatInt } from "../model/format.ts";

const quantity = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const threeDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 });

export const NONE = "—";

/** Counts: 12345 → "12,345". */
export function fmtInt(n: number | null): string {
  return n === null ? NONE : formatInt(n);
}

/** Amounts such as GPU-hours: whole numbers from 1,000 up, else four significant digits. */
export function fmtQuantity(n: number | null): string {
  if (n === null) return NONE;
  return Math.abs(n) >= 1000 ? formatInt(n) : quantity.format(n);
}

/** A ratio as a percentage: 0.6875 → "68.8 %". */
export function fmtPercent(ratio: number | null): string {
  return ratio === null ? NONE : `${oneDecimal.format(ratio * 100)} %`;
}

/** Indices and slowdowns, where the third decimal matters: 0.6667 → "0.667". */
export function fmtIndex(n: number | null): string {
  return n === null ? NONE : threeDecimals.format(n);
}

/** Seconds in the unit a person reads best: "42 s", "12.5 min", "5.2 h", "3.1 d". */
export function fmtDuration(s: number | null): string {
  if (s === null) return NONE;
  const a = Math.abs(s);
  if (a < 60) return `${formatInt(s)} s`;
  if (a < 3600) return `${oneDecimal.format(s / 60)} min`;
  if (a < 2 * 86_400) return `${oneDecimal.format(s / 3600)} h`;
  return `${oneDecimal.format(s / 86_400)} d`;
}

/** Epoch ms → "2026-12-01T00:00Z". */
export function fmtUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}
