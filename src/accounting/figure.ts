// A reported figure with what it was computed from: the formula in words and symbols, the operands' values
// and where the rule comes from. `fjord report … --explain` prints these; the JSON and CSV carry them.

export type FigureValue = number | string | null;

export interface Figure {
  /** Stable key within its section, e.g. `EDC` or `owner`. */
  key: string;
  /** The regulation's symbol, when it has one. */
  symbol: string | null;
  label: string;
  unit: string;
  value: FigureValue;
  formula: string;
  operands: Record<string, FigureValue>;
  /** The rule or the input the figure rests on. */
  source: string;
}

export interface FigureSection {
  id: string;
  title: string;
  figures: Figure[];
}

export function figure(
  key: string,
  label: string,
  unit: string,
  value: FigureValue,
  how: { symbol?: string; formula: string; operands?: Record<string, FigureValue>; source: string },
): Figure {
  return {
    key,
    symbol: how.symbol ?? null,
    label,
    unit,
    value,
    formula: how.formula,
    operands: how.operands ?? {},
    source: how.source,
  };
}
