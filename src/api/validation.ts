// Request validation with the same zod schemas that document the API. The type provider's own compiler
// parses without an error map, so zod's programmer-facing wording ("Invalid input: expected number,
// received string") would reach clients; this one parses with a map in JSON terms and reports each problem
// at its field path, one entry per unknown key, the way Fjord's file inputs do.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from "fastify";
import type { z } from "zod";
import { fromZodError } from "../model/input-error.ts";

const JSON_TYPE: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  array: "an array",
  object: "an object",
  record: "an object",
};

/** How a value looks in JSON, for "must be X, not Y". */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return value.length > 40 ? `the string "${value.slice(0, 37)}..."` : `the string "${value}"`;
  return String(value);
}

/** Messages for the generic rules; rule-specific messages written in the schemas take precedence. */
export const wireErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${JSON_TYPE[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "array")
        return issue.minimum === 1 ? "must not be empty" : `needs at least ${issue.minimum} entries`;
      if (issue.origin === "string")
        return issue.minimum === 1
          ? "must not be empty"
          : `must be at least ${issue.minimum} characters long`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum} entries`;
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters long`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, not ${describeValue(issue.input)}`;
    case "unrecognized_keys":
      return "is not a known field here";
    case "invalid_union": {
      // A value of the right JSON type for one form (a string where a model or a list of models is taken)
      // is wrong by that form's own rule: say which, not just that no form matched.
      const typed = issue.errors.find(
        (form) => form.length > 0 && form.every((i) => i.code !== "invalid_type"),
      );
      return typed?.[0]?.message ?? "does not match any of the accepted forms";
    }
    default:
      return undefined;
  }
};

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, { error: wireErrorMap });
    if (result.success) return { value: result.data };
    const issues = fromZodError(result.error, "request").issues;
    return {
      error: issues.map(
        (issue): FastifySchemaValidationError => ({
          keyword: "zod",
          instancePath: issue.path,
          schemaPath: "",
          params: {},
          message: issue.message,
        }),
      ),
    };
  };
