// Derived figures (ratios, means, hours) carry float noise in their last digits that says nothing and
// makes files differ between runs that should match; six significant digits is more than any reader uses.

/** x to `digits` significant digits; integers (counts, epoch ms) and non-finite values pass through. */
export function roundSignificant(x: number, digits = 6): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  return Number(x.toPrecision(digits));
}

/** A JSON-like document with every number rounded as roundSignificant does; non-finite numbers become null. */
export function roundedDocument(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? roundSignificant(value) : null;
  if (Array.isArray(value)) return value.map(roundedDocument);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundedDocument(v)]));
  return value;
}
