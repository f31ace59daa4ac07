// A request body built from flags (`fjord tenants set`, `fjord keys create`) is checked with the API's own
// schema and messages before it is sent, and a refusal by the API is reported the same way: each problem
// at the flag that set the field, as `fjord submit` does for a job given as flags.
import type { z } from "zod";
import { wireErrorMap } from "../../api/validation.ts";
import { fromZodError, InputError, type InputIssue, issueAt } from "../../model/input-error.ts";
import { EXIT_BAD_INPUT } from "../exit-codes.ts";
import { ApiProblemError } from "./api-errors.ts";
import { flagIssue, parseFieldPath } from "./field-paths.ts";
import { FLAGS_SOURCE } from "./job-flags.ts";

/** Throws InputError naming the flag of every field the schema refuses. */
export function checkedBody<S extends z.ZodType>(
  schema: S,
  body: Readonly<Record<string, unknown>>,
  flagOf: ReadonlyMap<string, string>,
): z.input<S> {
  const result = schema.safeParse(body, { error: wireErrorMap });
  if (!result.success) {
    const issues = fromZodError(result.error, FLAGS_SOURCE).issues;
    throw new InputError(
      FLAGS_SOURCE,
      issues.map((i) => flagIssue(i.segments, i.message, flagOf)),
    );
  }
  return body as z.input<S>;
}

/**
 * Runs a request whose body came from flags; a refusal as invalid (exit 2) becomes an InputError at the
 * flags the API names. Other failures (not found, auth, unreachable) pass through unchanged.
 */
export async function atFlags<T>(flagOf: ReadonlyMap<string, string>, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof ApiProblemError) || err.exitCode !== EXIT_BAD_INPUT) throw err;
    const { problem } = err;
    const fields = problem.errors ?? [];
    const issues: InputIssue[] =
      fields.length === 0
        ? [issueAt([], `refused: ${problem.title}: ${problem.detail}`)]
        : fields.map(({ field, reason }) => flagIssue(parseFieldPath(field), `refused: ${reason}`, flagOf));
    throw new InputError(FLAGS_SOURCE, issues);
  }
}
