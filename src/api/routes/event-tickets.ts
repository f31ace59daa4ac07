// POST /v1/events/tickets: a one-use, short-lived ticket that opens /v1/events as the key that asked for it,
// for clients that cannot send headers on a stream (a browser's EventSource). See auth/event-tickets.ts.
import { z } from "zod";
import { strict } from "../../model/input-schemas.ts";
import type { ApiApp } from "../api-context.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { type EventTickets, TICKET_TTL_MS } from "../auth/event-tickets.ts";
import { emptyBodyIsObject } from "../json-body.ts";
import { EXAMPLE_AT, isoFromMs, isoTimestamp, withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const ticketWireSchema = withExample(
  z.object({
    ticket: z.string(),
    expiresAt: isoTimestamp,
    url: z.string().describe("The stream's path with the ticket, for `new EventSource(url)`."),
  }),
  {
    ticket: "fjt_Q2xvdWQgYWJvdmUgdGhlIGZqb3JkLCBsaWdodCBvbiB0aGUgd2F0ZXI",
    expiresAt: EXAMPLE_AT.now,
    url: "/v1/events?ticket=fjt_Q2xvdWQgYWJvdmUgdGhlIGZqb3JkLCBsaWdodCBvbiB0aGUgd2F0ZXI",
  },
);

export function eventTicketRoutes(app: ApiApp, tickets: EventTickets): void {
  app.post(
    "/events/tickets",
    {
      ...emptyBodyIsObject,
      schema: {
        tags: ["events"],
        summary: "A ticket that opens the event stream once, for EventSource",
        description:
          `Opens GET /v1/events?ticket=… once, within ${TICKET_TTL_MS / 1000} s, as this key: for browsers, ` +
          "whose EventSource cannot send an Authorization header. The body is an empty object, or none.",
        body: strict({}),
        response: withProblems({ 201: ticketWireSchema }),
      },
    },
    async (request, reply) => {
      const { ticket, expiresAtMs } = tickets.issue(callerOf(request));
      reply.code(201).header("cache-control", "no-store");
      return { ticket, expiresAt: isoFromMs(expiresAtMs), url: `/v1/events?ticket=${ticket}` };
    },
  );
}
