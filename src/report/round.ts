// Derived figures (ratios, means, hours) carry float noise in their last digits that says nothing and
// makes files differ between runs that should match; six significant digits is more than any reader uses.

/** x to `digits` significant digits; integers (counts, epoch ms) and non-finite values pass through. */
export function roundSignificant(x: number, digits = 6): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  return Number(x.toPrecision(digits));
}
