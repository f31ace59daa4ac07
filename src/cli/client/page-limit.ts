// The --limit option of the listing commands, checked before it reaches the API so the error names the
// option as the user typed it.
import { MAX_PAGE_LIMIT } from "../../api/schemas/common.ts";
import { InputError, issueAt } from "../../model/input-error.ts";

export function pageLimit(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PAGE_LIMIT)
    throw new InputError("--limit", [
      issueAt([], `must be a whole number from 1 to ${MAX_PAGE_LIMIT}, not "${text}"`),
    ]);
  return n;
}
