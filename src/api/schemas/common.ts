// Wire building blocks shared by the resource schemas: text that the database can always store, ISO 8601
// timestamps, page parameters and the problem document.
import { z } from "zod";
import { idSchema, storableString } from "../../model/input-schemas.ts";

/**
 * Text from clients that the database can always store, bounded and free of control characters (PostgreSQL
 * cannot store U+0000 or a lone surrogate, and the other control characters have no business in names or
 * labels). Every free-text field of the API is one of these.
 */
export function storableText(maxLength: number) {
  return storableString.max(maxLength).regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
}

/** Free text that must say something: trimmed and not empty. */
export function text(maxLength: number) {
  return storableText(maxLength).trim().min(1);
}

/**
 * Gives a schema the example /docs shows. Without one a docs UI invents values from the schema (the lowest
 * integer zod allows, a random string matching the date-time pattern); typed, so an example that no longer
 * fits its schema does not compile.
 */
export function withExample<S extends z.ZodType>(schema: S, example: z.input<S>): S {
  return schema.meta({ example });
}

/** Times the examples use: a morning at the end of November 2026. */
export const EXAMPLE_AT = {
  submitted: "2026-11-29T10:21:04.000Z",
  started: "2026-11-29T10:30:00.000Z",
  ended: "2026-11-29T11:00:00.000Z",
  now: "2026-11-29T11:09:00.000Z",
} as const;

export const EXAMPLE_JOB_ID = "job_01m8kdnwg27vvsn4gd9kg9qndp";

/** A tenant's id in a path or query. */
export const tenantIdParam = withExample(idSchema, "aurora-labs");

/** An API key's id in a path. */
export const apiKeyIdParam = withExample(pathIdSchema(), "key_01m8kd6wse3q4b9k2n7xv5t0pa");

/** Ids in paths and queries: printable, bounded (the stored ids are far shorter). */
export const pathId = withExample(pathIdSchema(), EXAMPLE_JOB_ID);

function pathIdSchema() {
  return z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, "must be an id: letters, digits, '.', '_' or '-'");
}

/** A point in time on the wire: ISO 8601 in UTC, e.g. 2026-12-01T00:00:00.000Z. */
export const isoTimestamp = withExample(z.iso.datetime(), EXAMPLE_AT.submitted);

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoFromMs(ms);
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** `limit` and `cursor`, as every list endpoint takes them. */
export const pageQueryShape = {
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_LIMIT))
    .meta({ example: "100" })
    .optional()
    .describe(`Most items per page (1–${MAX_PAGE_LIMIT}, default ${DEFAULT_PAGE_LIMIT}).`),
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, "must be a nextCursor value from an earlier page")
    .meta({ example: "WzE3OTYwMDAwMDAwMDAsImpvYl8wMW04a2Rud2cyN3Z2c240Z2Q5a2c5cW5kcCJd" })
    .optional()
    .describe("The previous page's nextCursor."),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  });
}

export const problemSchema = withExample(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ field: z.string(), reason: z.string() }))
      .optional()
      .describe("Each field that is wrong, with the rule it breaks."),
  }),
  {
    type: "urn:fjord:problem:invalid-request",
    title: "Invalid request",
    status: 400,
    detail: "the request body is not valid",
    errors: [{ field: "estimatedRuntimeS", reason: "must be at most 31536000 (a year)" }],
  },
).describe("RFC 9457 problem details, sent as application/problem+json.");
