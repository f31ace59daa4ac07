// What can go wrong talking to the API, each with the exit code scripts branch on: the API refused the
// request (its problem document, printed as `<field>: <reason>` lines), the service could not be reached,
// or something answered that is not Fjord's API.
import type { z } from "zod";
import type { problemSchema } from "../../api/schemas/common.ts";
import { CliFailure, EXIT_AUTH, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_UNAVAILABLE } from "../exit-codes.ts";

export type ApiProblem = z.output<typeof problemSchema>;

/** The exit code for a refusal with this HTTP status. */
export function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT_AUTH;
  if (status === 404) return EXIT_NOT_FOUND;
  // Too many requests and server faults say "not now", not "not this": the same command may work later.
  if (status === 429 || status >= 500) return EXIT_UNAVAILABLE;
  return EXIT_BAD_INPUT;
}

/** The API answered with a problem document. */
export class ApiProblemError extends CliFailure {
  override readonly name = "ApiProblemError";
  readonly request: string;
  readonly problem: ApiProblem;

  /** `request` is `METHOD /path` as sent, for the message; `retryAfterS` comes from a 429's Retry-After. */
  constructor(request: string, problem: ApiProblem, retryAfterS: number | null = null) {
    super(problemMessage(request, problem, retryAfterS), exitCodeForStatus(problem.status));
    this.request = request;
    this.problem = problem;
  }
}

/** `fjord: POST /v1/jobs: 422 Job refused`, then one `<field>: <reason>` line per field, or the detail. */
function problemMessage(request: string, problem: ApiProblem, retryAfterS: number | null): string {
  const lines = [`fjord: ${request}: ${problem.status} ${problem.title}`];
  const fields = problem.errors ?? [];
  if (fields.length === 0) lines.push(problem.detail);
  for (const { field, reason } of fields) lines.push(field === "" ? reason : `${field}: ${reason}`);
  if (problem.status === 401)
    lines.push(
      "(give a valid key with --api-key or FJORD_API_KEY; fjord serve saves the first keys in <data-dir>/api-keys.json)",
    );
  if (problem.status === 429 && retryAfterS !== null) lines.push(`(retry after ${retryAfterS} s)`);
  return lines.join("\n");
}

/** Nothing answered at the address: refused, unknown host, reset, or no answer in time. */
export class ServiceUnreachableError extends CliFailure {
  override readonly name = "ServiceUnreachableError";

  constructor(baseUrl: string, why: string) {
    super(
      `fjord: cannot reach the Fjord API at ${baseUrl}: ${why}\n` +
        "(is fjord serve running there? the address comes from --url or FJORD_URL)",
      EXIT_UNAVAILABLE,
    );
  }
}

/** Something answered, but not as Fjord's API does: another service, a proxy's error page, another version. */
export class NotFjordApiError extends CliFailure {
  override readonly name = "NotFjordApiError";

  constructor(request: string, baseUrl: string, why: string) {
    super(
      `fjord: ${request}: the service at ${baseUrl} did not answer as Fjord's API: ${why}`,
      EXIT_UNAVAILABLE,
    );
  }
}
