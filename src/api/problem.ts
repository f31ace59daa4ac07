// Errors as RFC 9457 problem details (`application/problem+json`). Plain HTTP conditions use the type
// `about:blank` with the status phrase as title; Fjord's own kinds have a `urn:fjord:problem:` type that
// docs/api.md describes, so clients can branch on the type rather than on the wording.
import { STATUS_CODES } from "node:http";
import type { FastifyReply } from "fastify";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface FieldError {
  /** Path of the field, like `maxLatency.ms` or `residency[1]`; "" for the request part as a whole. */
  field: string;
  reason: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** Fjord's problem kinds; anything else is `about:blank`. */
export const PROBLEM_TYPES = {
  invalidRequest: "urn:fjord:problem:invalid-request",
  jobRefused: "urn:fjord:problem:job-refused",
  idempotencyConflict: "urn:fjord:problem:idempotency-conflict",
  jobFinished: "urn:fjord:problem:job-finished",
  rateLimited: "urn:fjord:problem:rate-limited",
} as const;

/** Thrown by handlers and hooks; the error handler turns it into the response. */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  readonly problem: Problem;
  /** Extra response headers, e.g. `Allow` for 405 or `WWW-Authenticate` for 401. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string,
    options: { type?: string; title?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.problem = {
      type: options.type ?? "about:blank",
      title: options.title ?? STATUS_CODES[status] ?? "Error",
      status,
      detail,
      ...(options.errors === undefined ? {} : { errors: options.errors }),
    };
    this.headers = options.headers ?? {};
  }
}

export function notFound(detail: string): HttpProblem {
  return new HttpProblem(404, detail);
}

export function forbidden(detail: string): HttpProblem {
  return new HttpProblem(403, detail);
}

/** 422 for a well-formed request that breaks a rule about one field. */
export function unprocessable(field: string, reason: string): HttpProblem {
  return fieldProblem(PROBLEM_TYPES.invalidRequest, "Invalid request", field, reason);
}

/** 422 for a job the scheduler says can never run here; `reason` is its sentence. */
export function jobRefused(field: string, reason: string): HttpProblem {
  return fieldProblem(PROBLEM_TYPES.jobRefused, "Job refused", field, reason);
}

function fieldProblem(type: string, title: string, field: string, reason: string): HttpProblem {
  return new HttpProblem(422, `${field === "" ? "the request" : field}: ${reason}`, {
    type,
    title,
    errors: [{ field, reason }],
  });
}

export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  return reply
    .code(problem.problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem.problem);
}
