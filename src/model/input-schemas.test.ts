import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError } from "./input-error.ts";
import { validate } from "./input-schemas.ts";

describe("validate", () => {
  const labelled = z.object({ labels: z.record(z.string(), z.string()) });

  it("refuses a __proto__ key, naming its path, where the schema alone would drop it without a word", () => {
    const doc = JSON.parse('{"labels":{"team":"a","__proto__":"x"}}');
    expect(labelled.parse(doc).labels).toEqual({ team: "a" });
    const thrown = (() => {
      try {
        validate(labelled, doc, "jobs.json");
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).issues.map((i) => i.path)).toEqual(["labels.__proto__"]);
  });

  it("keeps keys named like other built-in properties", () => {
    const doc = { labels: { constructor: "x", toString: "y" } };
    expect(validate(labelled, doc, "jobs.json").labels).toEqual(doc.labels);
  });
});
