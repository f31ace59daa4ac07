// Numbers and times as the dashboard shows them.
const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

export const count = (n) => integer.format(n);

export function decimal(n, digits = 2) {
  return n === null || n === undefined || !Number.isFinite(n)
    ? "–"
    : n.toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const percent = (part, whole) => (whole > 0 ? `${Math.round((100 * part) / whole)} %` : "–");

/** 2026-12-06T19:24:28.949Z → 2026-12-06 19:24Z */
export const minute = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : "–");
