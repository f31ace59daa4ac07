import { describe, expect, it } from "vitest";
import { readNumberCell } from "./csv-cells.ts";

describe("readNumberCell", () => {
  const count = { integer: true, min: 0, max: 8 };

  it("reads plain decimals inside the rule's range", () => {
    expect(readNumberCell(" 8 ", count)).toEqual({ ok: true, value: 8 });
    expect(readNumberCell("2.5", { integer: false, min: 0 })).toEqual({ ok: true, value: 2.5 });
  });

  it("says what the cell must hold and what it held", () => {
    expect(readNumberCell("9", count)).toEqual({
      ok: false,
      problem: 'must be a whole number from 0 to 8, not "9"',
    });
    expect(readNumberCell("1.5", count)).toEqual({
      ok: false,
      problem: 'must be a whole number from 0 to 8, not "1.5"',
    });
    expect(readNumberCell("", { integer: false, min: 0 })).toEqual({
      ok: false,
      problem: "must be a number, 0 or more, not empty",
    });
  });

  it("refuses exponent, hex and Infinity notations", () => {
    for (const text of ["1e3", "0x10", "Infinity", "NaN"])
      expect(readNumberCell(text, { integer: false, min: 0 }).ok).toBe(false);
  });
});
