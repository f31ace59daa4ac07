// /v1/events: job and queue changes as server-sent events. A tenant key gets its own tenant's job events
// and the facility-wide queue counts; a heartbeat comment keeps proxies from closing an idle stream. A
// client too slow to read is disconnected rather than buffered without bound. Every event has an id, and a
// client that reconnects with `Last-Event-ID` (as EventSource does by itself) first gets the events it
// missed, from the last 10,000; if they are gone (or the id is from before a restart) it gets a `reset`
// event and should re-read what it follows.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Gauge } from "prom-client";
import { z } from "zod";
import { strict } from "../model/input-schemas.ts";
import type { ApiApp, ApiContext } from "./api-context.ts";
import { canSeeTenant } from "./auth/access.ts";
import { callerOf } from "./auth/authenticate-hook.ts";
import type { Caller } from "./auth/authenticator.ts";
import { EventHistory, type NumberedEvent } from "./event-history.ts";
import { isoFromMs } from "./schemas/common.ts";
import { jobToWire } from "./schemas/job.ts";
import { withProblems } from "./schemas/responses.ts";

/** Bytes a client may leave unread before it is cut off. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** How long a client waits before reconnecting after the stream drops. */
const RETRY_MS = 3000;
/** Events kept for clients that reconnect: minutes of a busy facility's changes. */
const HISTORY_EVENTS = 10_000;
/** Most bytes a resuming client may have waiting: the whole history and then some. */
const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

export function eventRoutes(app: ApiApp, ctx: ApiContext, heartbeatIntervalMs: number, streams: Gauge): void {
  const open = new Set<ServerResponse>();
  const history = new EventHistory(
    HISTORY_EVENTS,
    `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`,
  );
  const stopRecording = ctx.controlPlane.subscribe((event) => history.append(event));
  // Streams never end by themselves; without this, closing the server would wait on them forever.
  app.addHook("preClose", async () => {
    stopRecording();
    for (const res of open) res.end();
  });

  app.get(
    "/events",
    {
      // A HEAD request would open a stream that sends nothing and never ends.
      exposeHeadRoute: false,
      schema: {
        tags: ["events"],
        summary: "Job and queue changes as server-sent events",
        description:
          "text/event-stream. `event: job` carries the job as GET /v1/jobs/{id} shows it; `event: queue` " +
          "carries queue counts per tier. Comment lines are heartbeats. Sent with `Last-Event-ID`, the " +
          "stream starts with the events after that one, or with `event: reset` when they are no longer kept.",
        // Only the ticket: a tenant key streams its own tenant's events whatever a client might add.
        querystring: strict({
          ticket: z
            .string()
            .max(100)
            .optional()
            .describe(
              "Instead of an Authorization header: a ticket from POST /v1/events/tickets, good once.",
            ),
        }),
        headers: z.looseObject({
          "last-event-id": z
            .string()
            .max(100)
            .optional()
            .describe("The id of the last event received; the stream starts after it."),
        }),
        response: withProblems({
          200: {
            description: "A stream of `job` and `queue` events, and heartbeat comments.",
            content: { "text/event-stream": { schema: z.string() } },
          },
        }),
      },
    },
    (request, reply) => {
      const caller = callerOf(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      open.add(res);
      streams.inc();
      // A replay can be megabytes: it is written as the client reads it (events that happen meanwhile wait
      // behind it), where live events beyond MAX_UNREAD_BYTES unread cut a client off.
      const backlog: string[] = [];
      let backlogBytes = 0;
      const pump = () => {
        while (backlog.length > 0 && !res.destroyed && !res.writableEnded) {
          const chunk = backlog.shift()!;
          backlogBytes -= chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
      };
      const queue = (chunk: string) => {
        backlog.push(chunk);
        backlogBytes += chunk.length;
        if (backlogBytes > MAX_BACKLOG_BYTES) res.destroy();
      };
      const send = (chunk: string) => {
        if (res.destroyed || res.writableEnded) return;
        if (backlog.length > 0) queue(chunk);
        else if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
        else res.write(chunk);
      };
      const lastEventId = request.headers["last-event-id"];
      if (typeof lastEventId === "string" && lastEventId !== "") {
        const resumed = history.since(lastEventId);
        if (resumed.ok)
          for (const numbered of resumed.events) {
            const message = eventMessage(numbered, caller);
            if (message !== null) queue(message);
          }
        else queue(resetMessage(resumed.reason));
        pump();
      }
      // Replayed and subscribed in the same turn of the event loop: no event falls between the two.
      const unsubscribe = history.subscribe((numbered) => {
        const message = eventMessage(numbered, caller);
        if (message !== null) send(message);
      });
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), heartbeatIntervalMs);
      res.on("close", () => {
        unsubscribe();
        clearInterval(heartbeat);
        open.delete(res);
        streams.dec();
      });
    },
  );
}

/** The SSE message for an event the caller may see, or null. */
function eventMessage({ id, event }: NumberedEvent, caller: Caller): string | null {
  if (event.type === "job") {
    if (!canSeeTenant(caller, event.record.job.tenantId)) return null;
    const data = { at: isoFromMs(event.atMs), job: jobToWire(event.record) };
    return `id: ${id}\nevent: job\ndata: ${JSON.stringify(data)}\n\n`;
  }
  const data = { at: isoFromMs(event.atMs), queued: event.queued, queuedByTier: event.queuedByTier };
  return `id: ${id}\nevent: queue\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Tells a resuming client that the events it missed cannot be given: it should re-read what it follows. */
function resetMessage(reason: "unknown-id" | "too-old"): string {
  const detail =
    reason === "too-old"
      ? "the events after Last-Event-ID are no longer kept"
      : "Last-Event-ID is not an event of this server (it may have restarted)";
  return `event: reset\ndata: ${JSON.stringify({ reason, detail })}\n\n`;
}
