// The report files' JSON: keys sorted at every level and derived numbers rounded to six significant digits,
// as results.json is, so the same inputs give the same bytes and a diff between two years shows only change.
import { roundedDocument } from "../../report/round.ts";
import { stableJson } from "./stable-json.ts";

export function reportJson(doc: unknown): string {
  return stableJson(roundedDocument(doc));
}
