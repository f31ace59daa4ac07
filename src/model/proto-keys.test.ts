import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protoKeyPaths } from "./proto-keys.ts";

/** The straightforward recursive walk the iterative one must agree with. */
function recursive(data: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(data)) return data.flatMap((item, i) => recursive(item, [...path, i]));
  if (data === null || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([key, value]) =>
    key === "__proto__" ? [[...path, key]] : recursive(value, [...path, key]),
  );
}

describe("protoKeyPaths", () => {
  it("finds every own __proto__ key, with its path, in document order", () => {
    const doc = JSON.parse(
      '{"a":[{"__proto__":1},{"b":{"__proto__":{"c":2}}}],"__proto__":3,"d":"__proto__"}',
    );
    expect(protoKeyPaths(doc, ["jobs", 0])).toEqual([
      ["jobs", 0, "a", 0, "__proto__"],
      ["jobs", 0, "a", 1, "b", "__proto__"],
      ["jobs", 0, "__proto__"],
    ]);
  });

  it("agrees with a recursive walk on arbitrary JSON", () => {
    const key = fc.oneof(fc.constantFrom("__proto__", "constructor", "a"), fc.string());
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 0 }),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 4 }).map((o) => JSON.parse(JSON.stringify(o))),
      ),
    })).value;
    fc.assert(
      fc.property(json, (doc) => {
        expect(protoKeyPaths(doc)).toEqual(recursive(doc));
      }),
    );
  });

  it("walks a document nested far deeper than the call stack allows", () => {
    const depth = 100_000;
    const doc = JSON.parse(`${"[".repeat(depth)}{"__proto__":1}${"]".repeat(depth)}`);
    const [path] = protoKeyPaths(doc);
    expect(path).toHaveLength(depth + 1);
    expect(path!.at(-1)).toBe("__proto__");
  });
});
