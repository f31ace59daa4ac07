import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical, canonicalJsonChunks } from "./json-chunks.ts";

const whole = (value: unknown) => JSON.stringify(canonical(value), null, 2);
const pieces = (value: unknown) => [...canonicalJsonChunks(value)].join("");

describe("canonicalJsonChunks", () => {
  it("writes the same text as JSON.stringify of the canonical copy, for any value, deep or shallow", () => {
    const deep = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.anything(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(deep, (value) => {
        if (value === undefined) expect(() => pieces(value)).toThrow(TypeError);
        else expect(pieces(value)).toBe(whole(value));
      }),
      { numRuns: 1000 },
    );
  });

  it("sorts keys, rounds derived numbers, leaves out what JSON leaves out and writes null for it in arrays", () => {
    const value = {
      b: { gone: undefined, fn: () => 1, ratio: 1 / 3, nan: Number.NaN, epochMs: 1767225600000 },
      a: [undefined, () => 1, Number.POSITIVE_INFINITY, 2 / 3, [], {}],
    };
    expect(pieces(value)).toBe(whole(value));
    expect(JSON.parse(pieces(value))).toEqual({
      a: [null, null, null, 0.666667, [], {}],
      b: { epochMs: 1767225600000, nan: null, ratio: 0.333333 },
    });
    expect(Object.keys(JSON.parse(pieces(value)))).toEqual(["a", "b"]);
  });
});
