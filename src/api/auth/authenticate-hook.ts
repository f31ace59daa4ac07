// Every /v1 request names its caller before anything else runs: a 401 problem otherwise. The caller is
// kept beside the request rather than on it, so routes ask for it through callerOf(). The event stream
// alone also opens with a one-use ticket instead of a key (event-tickets.ts), for browsers' EventSource.
import type { FastifyRequest } from "fastify";
import { HttpProblem, PROBLEM_TYPES } from "../problem.ts";
import { type Authenticator, AuthThrottledError, type Caller } from "./authenticator.ts";
import type { EventTickets } from "./event-tickets.ts";

/** The route a ticket opens. */
const TICKET_ROUTE = "/v1/events";

const callers = new WeakMap<FastifyRequest, Caller>();

export function authenticateHook(authenticator: Authenticator, tickets: EventTickets) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const ticket = (request.query as { ticket?: unknown }).ticket;
    if (header === undefined && typeof ticket === "string" && request.routeOptions.url === TICKET_ROUTE) {
      const caller = tickets.redeem(ticket);
      if (caller === null)
        throw new HttpProblem(401, "the ticket is not valid: it was used, it expired, or it never existed");
      callers.set(request, caller);
      return;
    }
    let caller: Caller | null;
    try {
      caller = await authenticator.authenticate(header, request.ip);
    } catch (err) {
      if (!(err instanceof AuthThrottledError)) throw err;
      throw new HttpProblem(429, err.message, {
        type: PROBLEM_TYPES.rateLimited,
        title: "Too many requests",
        headers: { "retry-after": String(err.retryAfterS) },
      });
    }
    if (caller === null) {
      const detail =
        header === undefined
          ? "send an API key as `Authorization: Bearer fjk_…`"
          : "the API key is not valid, or it was revoked";
      throw new HttpProblem(401, detail, { headers: { "www-authenticate": 'Bearer realm="fjord"' } });
    }
    callers.set(request, caller);
  };
}

/** The authenticated caller of a /v1 request. */
export function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  if (caller === undefined)
    throw new Error(`no caller for ${request.method} ${request.url}: route outside /v1 auth`);
  return caller;
}
