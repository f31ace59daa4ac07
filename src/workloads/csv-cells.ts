// Reading one CSV cell as a number, with a message that says what the cell should hold. CSV has no types:
// every cell is text, so each format states per column what it accepts.

export interface NumberRule {
  integer: boolean;
  min: number;
  /** Inclusive; omitted = no upper bound. */
  max?: number;
}

export type CellReading = { ok: true; value: number } | { ok: false; problem: string };

// Plain decimal notation only: "1e3", "0x10" and "Infinity" are more likely accidents than intent.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Reads a trimmed cell; an empty cell is a problem (callers decide beforehand whether empty is allowed). */
export function readNumberCell(text: string, rule: NumberRule): CellReading {
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  const inRange = value >= rule.min && (rule.max === undefined || value <= rule.max);
  if (Number.isFinite(value) && inRange && (!rule.integer || Number.isInteger(value))) {
    return { ok: true, value };
  }
  const kind = rule.integer ? "a whole number" : "a number";
  const range = rule.max === undefined ? `, ${rule.min} or more` : ` from ${rule.min} to ${rule.max}`;
  const shown =
    trimmed === "" ? "empty" : `"${trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed}"`;
  return { ok: false, problem: `must be ${kind}${range}, not ${shown}` };
}
