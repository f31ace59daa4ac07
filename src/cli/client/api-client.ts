// The CLI's side of Fjord's HTTP API: one request at a time with the caller's key, answers checked against
// the API's own wire schemas, and every failure turned into an error that names what went wrong and carries
// its exit code (api-errors.ts).
import { EventSource } from "eventsource";
import type { z } from "zod";
import { problemSchema } from "../../api/schemas/common.ts";
import { ApiProblemError, NotFjordApiError, ServiceUnreachableError } from "./api-errors.ts";

/** Long enough for an audit export of a busy tenant; a service that takes longer is treated as unreachable. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface ApiClientOptions {
  /** Where the API is served, e.g. http://127.0.0.1:8080 (a path prefix behind a proxy is kept). */
  baseUrl: URL;
  apiKey: string;
  timeoutMs?: number;
}

/** A successful answer: its status, the body as the schema reads it, and the body as it came (for --json). */
export interface ApiAnswer<T> {
  status: number;
  data: T;
  json: unknown;
}

export type Query = Record<string, string | undefined>;

export class ApiClient {
  private readonly base: URL;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(options: ApiClientOptions) {
    // A base without a trailing slash would lose its last path segment when v1/... is resolved against it.
    this.base = new URL(
      options.baseUrl.href.endsWith("/") ? options.baseUrl.href : `${options.baseUrl.href}/`,
    );
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** The base URL as the user gave it, for messages. */
  get baseUrl(): string {
    return this.base.href.replace(/\/$/, "");
  }

  /**
   * /v1/events as an EventSource with this client's key: it reconnects by itself and resumes after the last
   * event it received (Last-Event-ID), as the API allows.
   */
  events(): EventSource {
    const authorization = `Bearer ${this.apiKey}`;
    return new EventSource(new URL("v1/events", this.base).href, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization } }),
    });
  }

  get<S extends z.ZodType>(path: string, schema: S, query: Query = {}): Promise<ApiAnswer<z.output<S>>> {
    return this.send("GET", path, schema, query, undefined, {});
  }

  post<S extends z.ZodType>(
    path: string,
    schema: S,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<z.output<S>>> {
    return this.send("POST", path, schema, {}, body, headers);
  }

  put<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<ApiAnswer<z.output<S>>> {
    return this.send("PUT", path, schema, {}, body, {});
  }

  private async send<S extends z.ZodType>(
    method: "GET" | "POST" | "PUT",
    path: string,
    schema: S,
    query: Query,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<ApiAnswer<z.output<S>>> {
    const url = new URL(`v1/${path}`, this.base);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, value);
    const request = `${method} ${url.pathname}${url.search}`;

    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${this.apiKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
    } catch (err) {
      throw new ServiceUnreachableError(this.baseUrl, unreachableReason(err, this.timeoutMs));
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new NotFjordApiError(request, this.baseUrl, `it answered ${status} with a body that is not JSON`);
    }
    if (status >= 400) {
      const problem = problemSchema.safeParse(json);
      if (!problem.success)
        throw new NotFjordApiError(request, this.baseUrl, `it answered ${status} without a problem document`);
      throw new ApiProblemError(request, problem.data, retryAfterS(retryAfter));
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first === undefined ? "" : ` (${first.path.join(".") || "body"}: ${first.message})`;
      throw new NotFjordApiError(
        request,
        this.baseUrl,
        `its answer does not have the form this fjord expects${where}; are fjord and the service the same version?`,
      );
    }
    return { status, data: parsed.data, json };
  }
}

/** `jobs/<id>` with the id escaped, so an id can never reach another route. */
export function apiPath(...segments: string[]): string {
  return segments.map(encodeURIComponent).join("/");
}

const NETWORK_PROBLEMS = new Map<string, string>(
  Object.entries({
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "no such host",
    EAI_AGAIN: "the host name could not be resolved",
    ECONNRESET: "the connection was reset",
    EHOSTUNREACH: "the host is unreachable",
    ENETUNREACH: "the network is unreachable",
    UND_ERR_SOCKET: "the connection was closed",
  }),
);

/** fetch reports network failures as a TypeError whose cause holds the system error code. */
function unreachableReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error && "code" in cause ? String(cause.code) : undefined;
  if (code !== undefined)
    return NETWORK_PROBLEMS.get(code) ?? `${cause instanceof Error ? cause.message : code}`;
  return err instanceof Error ? err.message : String(err);
}

/** Retry-After in seconds (the API sends seconds, not an HTTP date); null when absent or not a number. */
function retryAfterS(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}
