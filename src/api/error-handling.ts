// Every error leaves as a problem document. Client mistakes keep their 4xx status and say what was wrong;
// anything else is logged with its stack and answered with a bare 500, so internals never reach clients.
import type { FastifyError, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import { UNKNOWN_KEY_REASON } from "../model/input-schemas.ts";
import { StartingError } from "../service/control-plane.ts";
import { InvalidCursorError, UnstorableTextError } from "../store/store-errors.ts";
import type { ApiApp } from "./api-context.ts";
import { HttpProblem, PROBLEM_TYPES, sendProblem } from "./problem.ts";

const PART: Record<string, string> = {
  body: "request body",
  querystring: "query string",
  params: "path",
  headers: "header set",
};

const METHODS: HTTPMethods[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

export function registerErrorHandling(app: ApiApp): void {
  app.setErrorHandler((err: FastifyError, request, reply) => sendProblem(reply, toProblem(err, request)));

  // A path that exists under other methods is a 405 with Allow; anything else is a 404.
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split("?")[0] ?? "/";
    const allowed = METHODS.filter((method) => app.findRoute({ method, url }) !== null);
    if (allowed.length > 0)
      return sendProblem(
        reply,
        new HttpProblem(405, `${request.method} is not allowed on ${url}; use ${allowed.join(", ")}`, {
          headers: { allow: allowed.join(", ") },
        }),
      );
    return sendProblem(reply, new HttpProblem(404, `no route ${request.method} ${url}`));
  });
}

/**
 * Fastify's `frameworkErrors`: requests its router refuses before any route or hook runs (a path with a
 * broken %-escape, a path segment longer than maxParamLength), answered like every other error.
 */
export function frameworkErrorHandler(
  err: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const path = { type: PROBLEM_TYPES.invalidRequest, title: "Invalid request" };
  switch (err.code) {
    case "FST_ERR_BAD_URL":
      sendProblem(
        reply,
        new HttpProblem(400, "the path is not valid: it holds a %-escape that is not UTF-8", {
          ...path,
          errors: [{ field: "path", reason: "must be UTF-8, %-encoded" }],
        }),
      );
      return;
    case "FST_ERR_MAX_PARAM_LENGTH":
      sendProblem(
        reply,
        new HttpProblem(414, "a path segment is longer than any id Fjord gives out", {
          ...path,
          title: "URI Too Long",
          errors: [{ field: "path", reason: `each segment must be at most ${MAX_PARAM_LENGTH} characters` }],
        }),
      );
      return;
    default:
      sendProblem(reply, toProblem(err, _request));
  }
}

/** Longest path parameter the router takes (Fastify's default); ids are far shorter. */
export const MAX_PARAM_LENGTH = 100;

function toProblem(err: FastifyError | UnstorableTextError, request: FastifyRequest): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof UnstorableTextError)
    return new HttpProblem(400, "the request body is not valid", {
      type: PROBLEM_TYPES.invalidRequest,
      title: "Invalid request",
      errors: [{ field: err.field, reason: err.reason }],
    });
  if (err instanceof StartingError)
    return new HttpProblem(503, err.message, { headers: { "retry-after": String(err.retryAfterS) } });
  if (err instanceof InvalidCursorError)
    return new HttpProblem(400, "the query string is not valid", {
      type: PROBLEM_TYPES.invalidRequest,
      title: "Invalid request",
      errors: [{ field: "cursor", reason: err.message }],
    });
  if (err.validation !== undefined) {
    const part = PART[err.validationContext ?? ""] ?? "request";
    const errors = err.validation.map((v) => ({
      field: v.instancePath,
      reason: v.message ?? "is not valid",
    }));
    return new HttpProblem(400, `the ${part} is not valid${unknownKeysSentence(errors)}`, {
      type: PROBLEM_TYPES.invalidRequest,
      title: "Invalid request",
      errors,
    });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new HttpProblem(status, clientMessage(err));
  request.log.error({ err }, "request failed");
  return new HttpProblem(500, "Fjord could not complete the request; it has been logged");
}

/**
 * A key the schema does not know is most often a typo or a client written for another version: the detail
 * names each such key with the keys allowed there, so a client that shows only `detail` still says which.
 */
function unknownKeysSentence(errors: { field: string; reason: string }[]): string {
  const unknown = errors.filter((e) => e.reason.startsWith(UNKNOWN_KEY_REASON));
  if (unknown.length === 0) return "";
  return `: ${unknown.map((e) => `${JSON.stringify(e.field)} ${e.reason}`).join("; ")}`;
}

/** Fastify's own messages for body and content-type problems, in the API's words. */
function clientMessage(err: FastifyError): string {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "the request body is larger than this server accepts";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "the request body must be JSON, sent as Content-Type: application/json";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "Content-Type is application/json but the body is empty";
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return "the request body is not valid JSON";
    default:
      return err.message;
  }
}
