import { describe, expect, it } from "vitest";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import { InputError, issueAt } from "./input-error.ts";
import { PROTO_KEY_RULE } from "./proto-keys.ts";
import { fromYamlText, readYaml } from "./yaml-source.ts";

const TEXT = ["name: x", "sites:", "  - id: a", "    count: -1", "  - id: b", ""].join("\n");

describe("readYaml", () => {
  it("keeps YAML 1.2 core scalars: timestamps stay strings and `no` is not false", () => {
    const { data } = readYaml("at: 2026-12-01T00:00:00Z\ncountry: no\n", "t.yaml");
    expect(data).toEqual({ at: "2026-12-01T00:00:00Z", country: "no" });
  });

  it("rejects a syntax error with its line", () => {
    const err = catchInputError(() => readYaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"));
    expect(err.source).toBe("bad.yaml");
    expect(err.issues[0]?.message).toMatch(/^invalid YAML: /);
    expect(err.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects a key written twice in one mapping", () => {
    const err = catchInputError(() => readYaml("a: 1\na: 2\n", "dup.yaml"));
    expect(err.issues[0]?.message).toMatch(/unique/i);
    expect(err.issues[0]?.line).toBe(2);
  });

  it("refuses a __proto__ key anywhere, with its line, since every object built from the data would drop it", () => {
    const text = ["jobs:", "  - tenant: a", "    labels:", "      __proto__: x", "      constructor: y", ""];
    const err = catchInputError(() => readYaml(text.join("\n"), "jobs.yaml"));
    expect(err.issues).toEqual([{ ...issueAt(["jobs", 0, "labels", "__proto__"], PROTO_KEY_RULE), line: 4 }]);
    const top = catchInputError(() => readYaml("__proto__: { a: 1 }\n", "t.yaml"));
    expect(top.issues.map((i) => [i.path, i.line])).toEqual([["__proto__", 1]]);
  });

  it("keeps keys named like other built-in properties as own keys", () => {
    const { data } = readYaml("byKind:\n  constructor: 0.5\n  toString: 0.4\n", "t.yaml");
    expect(Object.entries((data as { byKind: object }).byKind)).toEqual([
      ["constructor", 0.5],
      ["toString", 0.4],
    ]);
  });

  it("finds the line of a field, and of the enclosing mapping for a field that is missing", () => {
    const { lineOf } = readYaml(TEXT, "t.yaml");
    expect(lineOf(["sites", 0, "count"])).toBe(4);
    expect(lineOf(["sites", 1, "count"])).toBe(5);
  });
});

describe("fromYamlText", () => {
  it("adds YAML line numbers to the InputError its builder throws", () => {
    const err = catchInputError(() =>
      fromYamlText(TEXT, "t.yaml", () => {
        throw new InputError("t.yaml", [issueAt(["sites", 0, "count"], "must be a positive integer")]);
      }),
    );
    expect(err.message).toBe("t.yaml: sites[0].count: must be a positive integer (line 4)");
  });
});
