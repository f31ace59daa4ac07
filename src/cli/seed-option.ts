// --seed as the commands that replay or generate take it: a 32-bit unsigned whole number, so the same
// seed gives the same run on every machine.
import { InputError, issueAt } from "../model/input-error.ts";

export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > 0xffff_ffff)
    throw new InputError("--seed", [
      issueAt([], `must be a whole number from 0 to 4294967295 (got "${text}")`),
    ]);
  return seed;
}
