import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPath, type PathSegment } from "../../model/input-error.ts";
import { fileSegments, flagIssue, parseFieldPath } from "./field-paths.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

describe("parseFieldPath", () => {
  it("reads back every path the API writes with formatPath", () => {
    const segment: fc.Arbitrary<PathSegment> = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]+$/),
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.nat({ max: 100 }),
    );
    // A path starts with a field name: the API's paths name a body field first.
    const path = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]*$/), fc.array(segment, { maxLength: 4 }));
    fc.assert(
      fc.property(path, ([head, rest]) => {
        const segments = [head, ...rest];
        expect(parseFieldPath(formatPath(segments))).toEqual(segments);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("fileSegments", () => {
  it("names a refused field as the job file writes it, inside its entry", () => {
    expect(fileSegments("estimatedRuntimeS")).toEqual(["estimatedRuntime"]);
    expect(fileSegments("checkpointIntervalS")).toEqual(["checkpointInterval"]);
    expect(fileSegments("maxLatency.ms")).toEqual(["maxLatency", "ms"]);
    expect(fileSegments("residency[1]")).toEqual(["residency", 1]);
    expect(fileSegments("")).toEqual([]);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "keeps a field named like a built-in object property (%s) as it is",
    (field) => {
      expect(fileSegments(field)).toEqual([field]);
    },
  );
});

describe("flagIssue", () => {
  it("names the flag that set a field, keeping the position inside a list", () => {
    expect(flagIssue(["estimatedRuntimeS"], "is required")).toMatchObject({
      path: "--runtime",
      message: "is required",
    });
    expect(flagIssue(["residency", 1], "must be upper-case")).toMatchObject({
      path: "--residency",
      message: "residency[1]: must be upper-case",
    });
    expect(flagIssue([], "needs a size")).toMatchObject({ path: "", message: "needs a size" });
  });

  it.each(["constructor", "__proto__", "toString"])("names no flag for a field called %s", (field) => {
    expect(flagIssue([field], "is not a known field")).toMatchObject({
      path: "",
      message: `${field}: is not a known field`,
    });
  });
});
