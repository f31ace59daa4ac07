import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchInputError } from "../../../test/support/catch-input-error.ts";
import { canonicalJson } from "../../audit/canonical-json.ts";
import { derivedIdempotencyKey, givenIdempotencyKey } from "./idempotency-key.ts";
import type { SubmissionBody } from "./submission-body.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

const bodyArb: fc.Arbitrary<SubmissionBody> = fc.record({
  tenant: fc.constantFrom("aurora-labs", "sisu-ai"),
  gpus: fc.integer({ min: 1, max: 64 }),
  estimatedRuntimeS: fc.integer({ min: 1, max: 100_000 }),
  labels: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), {
    maxKeys: 3,
  }),
});
const entryArb = fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/), { nil: null });

describe("derivedIdempotencyKey", () => {
  it("gives the same job in the same place the same key, whatever order its fields were built in", () => {
    fc.assert(
      fc.property(bodyArb, entryArb, (body, entry) => {
        const reordered = Object.fromEntries(Object.entries(body).reverse()) as SubmissionBody;
        expect(derivedIdempotencyKey(reordered, entry)).toBe(derivedIdempotencyKey(body, entry));
        expect(derivedIdempotencyKey(body, entry)).toMatch(/^fjord-[0-9a-f]{64}$/);
      }),
      { numRuns: RUNS },
    );
  });

  it("gives another job, or the same job under another entry id, another key", () => {
    fc.assert(
      fc.property(bodyArb, bodyArb, entryArb, entryArb, (a, b, entryA, entryB) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b) || entryA !== entryB);
        expect(derivedIdempotencyKey(a, entryA)).not.toBe(derivedIdempotencyKey(b, entryB));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("givenIdempotencyKey", () => {
  it("uses a given key as it is for one job, and adds the entry id for each job of a file", () => {
    expect(givenIdempotencyKey("ci-run-42", null)).toBe("ci-run-42");
    expect(givenIdempotencyKey("ci-run-42", "job-0003")).toBe("ci-run-42/job-0003");
  });

  it("refuses a key the API would refuse, before anything is sent", () => {
    expect(catchInputError(() => givenIdempotencyKey("has space", null)).message).toBe(
      "--idempotency-key: must be 1 to 255 visible ASCII characters (no spaces)",
    );
    expect(catchInputError(() => givenIdempotencyKey("k".repeat(250), "job-0001")).message).toBe(
      "--idempotency-key: must be visible ASCII characters (no spaces), at most 255 with /job-0001 added for each job of a file",
    );
  });
});
