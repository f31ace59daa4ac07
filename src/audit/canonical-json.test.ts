import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

describe("canonical JSON", () => {
  it("sorts object keys by code unit at every depth, integer-like keys included", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, 10: "x", 9: "y" })).toBe(
      '{"10":"x","9":"y","a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it("follows JSON.stringify for undefined, non-finite numbers and toJSON", () => {
    expect(canonicalJson({ gone: undefined, list: [undefined, Number.NaN, Number.POSITIVE_INFINITY] })).toBe(
      '{"list":[null,null,null]}',
    );
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 11, 1)) })).toBe('{"at":"2026-12-01T00:00:00.000Z"}');
    expect(canonicalJson('line\n"quoted"')).toBe(JSON.stringify('line\n"quoted"'));
  });

  it("refuses values JSON cannot hold", () => {
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
    expect(() => canonicalJson({ big: 10n })).toThrow(/bigint/);
  });

  it("is the same text for any key order, and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const reparsed = JSON.parse(text);
        expect(canonicalJson(reparsed)).toBe(text);
        expect(canonicalJson(shuffleKeys(reparsed))).toBe(text);
        expect(reparsed).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });
});

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v)]));
}
