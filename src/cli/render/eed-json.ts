// The report files' JSON: keys sorted at every level and derived numbers rounded to six significant digits,
// as results.json is, so the same inputs give the same bytes and a diff between two years shows only change.
import { roundSignificant } from "../../report/round.ts";
import { stableJson } from "./stable-json.ts";

export function reportJson(doc: unknown): string {
  return stableJson(rounded(doc));
}

function rounded(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? roundSignificant(value) : null;
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}
