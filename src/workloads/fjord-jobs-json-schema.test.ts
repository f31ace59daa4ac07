import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { readDurationS } from "../model/duration.ts";
import { DURATION_PATTERN, fjordJobJsonSchema } from "./fjord-jobs-json-schema.ts";
import { FJORD_JOBS_SCHEMA_PATH } from "./write-fjord-jobs-schema.ts";

const published: unknown = JSON.parse(readFileSync(FJORD_JOBS_SCHEMA_PATH, "utf8"));
// Formats are checked by the schema's own patterns (Ajv knows date-time only with a plugin). strictRequired
// is Ajv's own lint, not JSON Schema: it objects to `required` inside `not`, which the size rule needs.
const validate = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false }).compile(
  fjordJobJsonSchema(),
);
const job = (extra: Record<string, unknown>) => ({ tenant: "aurora-labs", estimatedRuntime: "1h", ...extra });

describe("schemas/fjord-jobs.schema.json", () => {
  it("is the schema generated from the job format (run write-fjord-jobs-schema.ts after changing it)", () => {
    expect(published).toEqual(fjordJobJsonSchema());
  });

  it("accepts every line of the example JSON-lines file", () => {
    const lines = readFileSync("test/fixtures/workloads/fjord-jobs.jsonl", "utf8").split("\n");
    for (const line of lines.filter((l) => l.trim() !== "")) {
      expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("requires exactly one size form", () => {
    expect(validate(job({ gpus: 8 }))).toBe(true);
    expect(validate(job({ nodes: 2, gpusPerNode: 4 }))).toBe(true);
    expect(validate(job({ nodes: 2, gpusPerNode: 4, gpus: 8 }))).toBe(false);
    expect(validate(job({ nodes: 2 }))).toBe(false);
    expect(validate(job({}))).toBe(false);
  });

  it("rejects unknown fields, bad durations and lower-case jurisdictions", () => {
    expect(validate(job({ gpus: 1, walltime: "2h" }))).toBe(false);
    expect(validate(job({ gpus: 1, runtime: "36 hours" }))).toBe(false);
    expect(validate(job({ gpus: 1, runtime: 0 }))).toBe(false);
    expect(validate(job({ gpus: 1, residency: ["eea"] }))).toBe(false);
    expect(validate(job({ gpus: 1, submittedAt: "2026-12-01T00:00:00" }))).toBe(false);
  });

  it("has a duration pattern that agrees with Fjord's duration reader", () => {
    const pattern = new RegExp(DURATION_PATTERN, "u");
    const valid = ["36h", "1h30m", " 1h 30m ", "90s", "1.5h", "7d", "2w3d", "3600", "1 h", "0.5m"];
    const invalid = ["", "h", "30m1h", "1h1h", "-5", "1e3", "36 hours", "1y", "1h30", "P1D"];
    for (const text of valid)
      expect([text, pattern.test(text), readDurationS(text).ok]).toEqual([text, true, true]);
    for (const text of invalid)
      expect([text, pattern.test(text), readDurationS(text).ok]).toEqual([text, false, false]);
  });
});
