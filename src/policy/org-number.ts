// Norwegian organisation numbers (Brønnøysund Register Centre): 9 digits, the last a MOD11 check digit over
// the first eight with weights 3, 2, 7, 6, 5, 4, 3, 2. Remainder 0 → check digit 0; remainder 1 → no digit
// fits, so no valid number has those first eight digits; otherwise the check digit is 11 − remainder.

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** The check digit for an 8-digit prefix, or null when the prefix has none (MOD11 remainder 1). */
export function orgNumberCheckDigit(firstEight: string): number | null {
  if (!/^\d{8}$/.test(firstEight)) throw new RangeError(`expected 8 digits, got "${firstEight}"`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(firstEight[i]) * WEIGHTS[i]!;
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

/** Why `s` is not a valid organisation number, in words that follow "is not a valid … number: ", or null. */
export function orgNumberProblem(s: string): string | null {
  if (!/^\d+$/.test(s)) return "must contain only the digits 0–9";
  if (s.length !== 9) return `must have 9 digits, not ${s.length}`;
  const expected = orgNumberCheckDigit(s.slice(0, 8));
  if (expected === null) {
    return `no check digit can complete ${s.slice(0, 8)} (its MOD11 remainder is 1), so no organisation number starts with it`;
  }
  const actual = Number(s[8]);
  return actual === expected ? null : `check digit should be ${expected}, not ${actual}`;
}

export function isValidNorwegianOrgNumber(s: string): boolean {
  return orgNumberProblem(s) === null;
}
