import { describe, expect, it } from "vitest";
import { EXIT_AUTH, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_UNAVAILABLE } from "../exit-codes.ts";
import { ApiProblemError, exitCodeForStatus } from "./api-errors.ts";

describe("exitCodeForStatus", () => {
  it("tells apart refused input, missing objects, credentials and a service that cannot serve now", () => {
    const codes = Object.fromEntries(
      [400, 401, 403, 404, 409, 413, 422, 429, 500, 503].map((s) => [s, exitCodeForStatus(s)]),
    );
    expect(codes).toEqual({
      400: EXIT_BAD_INPUT,
      401: EXIT_AUTH,
      403: EXIT_AUTH,
      404: EXIT_NOT_FOUND,
      409: EXIT_BAD_INPUT,
      413: EXIT_BAD_INPUT,
      422: EXIT_BAD_INPUT,
      429: EXIT_UNAVAILABLE,
      500: EXIT_UNAVAILABLE,
      503: EXIT_UNAVAILABLE,
    });
  });
});

describe("ApiProblemError", () => {
  it("prints the request and status, then one <field>: <reason> line per field", () => {
    const err = new ApiProblemError("POST /v1/jobs", {
      type: "urn:fjord:problem:invalid-request",
      title: "Invalid request",
      status: 400,
      detail: "the request body is not valid",
      errors: [
        { field: "gpus", reason: 'must be a number, not the string "4"' },
        { field: "", reason: "needs a size" },
      ],
    });
    expect(err.message).toBe(
      'fjord: POST /v1/jobs: 400 Invalid request\ngpus: must be a number, not the string "4"\nneeds a size',
    );
    expect(err.exitCode).toBe(EXIT_BAD_INPUT);
  });

  it("prints the detail of a problem that names no field, and when to retry after a rate limit", () => {
    const err = new ApiProblemError(
      "GET /v1/queue",
      {
        type: "urn:fjord:problem:rate-limited",
        title: "Too Many Requests",
        status: 429,
        detail: "this key may make 600 requests a minute",
      },
      7,
    );
    expect(err.message).toBe(
      "fjord: GET /v1/queue: 429 Too Many Requests\nthis key may make 600 requests a minute\n(retry after 7 s)",
    );
    expect(err.exitCode).toBe(EXIT_UNAVAILABLE);
  });
});
