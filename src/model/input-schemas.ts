// Zod building blocks shared by the facility, policy and job schemas, and the plain-words error map they
// are validated with. Messages read after a path: "sites[0].halls[1].rackGroups[0].count: must be …".
import { z } from "zod";
import { readDurationS } from "./duration.ts";
import { formatPath, fromZodError, InputError, issueAt, type PathSegment } from "./input-error.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "./proto-keys.ts";

/** How every unknown key's reason starts, so the API can name such keys in its detail too. */
export const UNKNOWN_KEY_REASON = "is not a known key here";

/** How a value looks to someone reading YAML, for "must be X, not Y" messages. */
function describeValue(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 37)}..."` : `"${value}"`;
  return String(value);
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "a text value",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

// Zod's own messages ("Invalid input: expected number, received string") are written for programmers; this
// map rewrites the generic cases. Schema-level messages (the specific rules below) take precedence over it.
const plainErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "array")
        return issue.minimum === 1 ? "must not be empty" : `needs at least ${issue.minimum} entries`;
      if (issue.origin === "string") return "must not be empty";
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case "too_big":
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}, not ${describeValue(issue.input)}`;
    case "unrecognized_keys":
      return UNKNOWN_KEY_REASON;
    default:
      return undefined;
  }
};

/** Validates `doc` with the plain-words messages; throws InputError naming every problem. */
export function validate<S extends z.ZodType>(schema: S, doc: unknown, source: string): z.output<S> {
  // zod drops `__proto__` keys without a word; refuse them here so no schema-checked document loses one.
  const protoKeys = protoKeyPaths(doc);
  if (protoKeys.length > 0)
    throw new InputError(
      source,
      protoKeys.map((path) => issueAt(path, PROTO_KEY_RULE)),
    );
  const result = schema.safeParse(doc, { error: plainErrorMap });
  if (!result.success) throw fromZodError(result.error, source);
  return result.data;
}

/** A closed mapping: unknown keys are errors that list the keys allowed there (catches typos like `nodesPerRak`). */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const keys = Object.keys(shape);
  const known = keys.length === 0 ? "none: it takes an empty object" : `known keys: ${keys.join(", ")}`;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `${UNKNOWN_KEY_REASON} (${known})` : undefined),
  });
}

/** Ids appear inside composite ids (`site/hall-r001-n01`) and on command lines, so they stay simple. */
export const idSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    "must be an id: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why PostgreSQL cannot store `text`, or null when it can: U+0000 is refused in text and JSON, and a lone
 * UTF-16 surrogate has no UTF-8 form (JSON.stringify escapes it, and jsonb refuses the escape).
 */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  if (LONE_SURROGATE.test(text)) return "must not contain a lone UTF-16 surrogate (U+D800–U+DFFF)";
  return null;
}

/** Refuses text PostgreSQL cannot store; for string schemas that need their own type error. */
export const storable = z.check<string>((ctx) => {
  const problem = unstorableTextProblem(ctx.value);
  if (problem !== null) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
});

/** Any text a client or file gives that Fjord may store: the free-text schemas of the inputs start here. */
export const storableString = z.string().check(storable);

export const nonEmptyString = storableString.trim().min(1);

/**
 * A label's key. Keys become object properties and CSV column names, so they are plain words: this keeps
 * out `__proto__` and friends, which JSON parsers refuse or objects silently swallow.
 */
export const labelKey = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
    "must be a label key: letters, digits, '.', '_', '/' or '-', starting with a letter or digit",
  );

export const positiveInt = z
  .number()
  .int("must be a positive integer")
  .positive("must be a positive integer");

export const nonNegativeInt = z
  .number()
  .int("must be a whole number, 0 or more")
  .nonnegative("must be a whole number, 0 or more");

export const positiveNumber = z.number().positive("must be greater than 0");

export const nonNegativeNumber = z.number().nonnegative("must be 0 or more");

/**
 * A tenant's fair-share weight. Below a thousandth its share of the tier divides to Infinity in practice,
 * above a million it starves every other tenant of the tier: both are typing errors, not policies.
 */
export const tenantWeight = z
  .number()
  .min(0.001, "must be from 0.001 to 1,000,000")
  .max(1_000_000, "must be from 0.001 to 1,000,000");

/** Most GPUs a tenant may hold: ten million is far beyond any facility, and the store keeps 32-bit counts. */
export const MAX_QUOTA_GPUS = 10_000_000;
export const quotaGpus = nonNegativeInt.max(MAX_QUOTA_GPUS, "must be at most 10,000,000");

/** Jurisdictions and residency tags: "NO", "EEA", "GCC"; upper case so "eea" and "EEA" cannot both exist. */
export const jurisdictionTag = z
  .string()
  .regex(/^[A-Z][A-Z0-9-]*$/, "must be an upper-case jurisdiction tag like NO, EEA or GCC");

export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code in upper case, like NO or AE");

const TIMESTAMP_RULE = "must be an ISO 8601 timestamp with Z or an offset, like 2026-12-01T00:00:00Z";

/** An ISO 8601 timestamp that names its zone (a zoneless one means different instants on different hosts). */
export const timestampMs = z.iso
  .datetime({ offset: true, error: (issue) => (issue.input === undefined ? undefined : TIMESTAMP_RULE) })
  .transform((text) => Date.parse(text));

/** A duration (see model/duration.ts) in whole seconds, longer than zero: every duration in the inputs is. */
export const positiveDurationS = z
  .union([z.number(), z.string()], {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `must be a duration like 36h or a number of seconds, not ${describeValue(issue.input)}`,
  })
  .transform((value, ctx) => {
    const reading = readDurationS(value);
    if (!reading.ok) {
      ctx.addIssue({ code: "custom", message: reading.problem, input: value });
      return z.NEVER;
    }
    if (reading.seconds === 0) {
      ctx.addIssue({ code: "custom", message: "must be longer than 0", input: value });
      return z.NEVER;
    }
    return reading.seconds;
  });

/**
 * For cross-field refinements: run only when everything below parsed cleanly. Zod runs a refinement after
 * non-aborting nested issues by default, handing it values that do not match their types (a tenant whose own
 * transform never ran, a share of 1.5); such a refinement would then report follow-on noise or crash.
 */
export const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** "unknown node type 'x' (known: a, b)": a reference rule message that shows what would have been accepted. */
export function unknownReference(kind: string, value: string, known: readonly string[]): string {
  const shown = known.length > 12 ? `${known.slice(0, 12).join(", ")}, …` : known.join(", ");
  return `unknown ${kind} '${value}' (known: ${shown || "none"})`;
}

/** An id found in a document, with where it was written. */
export interface IdAt {
  id: string;
  path: readonly PathSegment[];
}

/** Reports every repeat of an id at its own path, naming where the id was first used. */
export function reportDuplicateIds(ctx: z.RefinementCtx, ids: readonly IdAt[], kind: string): void {
  const first = new Map<string, IdAt>();
  for (const entry of ids) {
    const earlier = first.get(entry.id);
    if (earlier === undefined) {
      first.set(entry.id, entry);
      continue;
    }
    ctx.addIssue({
      code: "custom",
      path: [...entry.path],
      message: `duplicate ${kind} id '${entry.id}' (first used at ${formatPath(earlier.path)})`,
    });
  }
}
