import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatPath, fromZodError, InputError, issueAt } from "./input-error.ts";

describe("formatPath", () => {
  it("writes keys dotted and indices in brackets", () => {
    expect(formatPath(["sites", 0, "halls", 1, "rackGroups", 0, "count"])).toBe(
      "sites[0].halls[1].rackGroups[0].count",
    );
  });

  it("quotes keys that are not plain words, and gives the empty string for the whole document", () => {
    expect(formatPath(["labels", "team name"])).toBe('labels["team name"]');
    expect(formatPath([])).toBe("");
  });
});

describe("InputError", () => {
  it("puts one `source: path: message` line per issue in its message, with the line when known", () => {
    const err = new InputError("f.yaml", [
      issueAt(["a", 0], "must be a positive integer"),
      { ...issueAt(["b"], "is required"), line: 7 },
      issueAt([], "must be a mapping"),
    ]);
    expect(err.message).toBe(
      "f.yaml: a[0]: must be a positive integer\nf.yaml: b: is required (line 7)\nf.yaml: must be a mapping",
    );
    expect(err.source).toBe("f.yaml");
    expect(err.name).toBe("InputError");
  });

  it("lists at most 50 issues in its message but keeps them all", () => {
    const issues = Array.from({ length: 60 }, (_, i) => issueAt(["jobs", i], "bad"));
    const err = new InputError("input", issues);
    expect(err.issues).toHaveLength(60);
    expect(err.message.split("\n")).toHaveLength(51);
    expect(err.message).toMatch(/… and 10 more problems$/);
  });
});

describe("fromZodError", () => {
  it("splits an unknown-keys issue into one issue per key, each at the key's own path", () => {
    const result = z.strictObject({ a: z.number() }).safeParse({ a: 1, colour: 2, size: 3 });
    expect(result.success).toBe(false);
    const err = fromZodError(result.error!, "x.yaml");
    expect(err.issues.map((i) => i.path)).toEqual(["colour", "size"]);
  });

  it("keeps zod's nested paths as dotted paths", () => {
    const result = z
      .object({ list: z.array(z.object({ n: z.number() })) })
      .safeParse({ list: [{ n: 1 }, { n: "x" }] });
    const err = fromZodError(result.error!, "input");
    expect(err.issues[0]?.path).toBe("list[1].n");
    expect(err.issues[0]?.segments).toEqual(["list", 1, "n"]);
  });
});
