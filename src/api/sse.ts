// /v1/events: job and queue changes as server-sent events. A tenant key gets its own tenant's job events
// and the facility-wide queue counts; a heartbeat comment keeps proxies from closing an idle stream. A
// client too slow to read is disconnected rather than buffered without bound; it reconnects and re-reads.
import type { ServerResponse } from "node:http";
import type { Gauge } from "prom-client";
import { z } from "zod";
import type { ControlPlaneEvent } from "../service/control-plane.ts";
import type { ApiApp, ApiContext } from "./api-context.ts";
import { canSeeTenant } from "./auth/access.ts";
import { callerOf } from "./auth/authenticate-hook.ts";
import type { Caller } from "./auth/authenticator.ts";
import { isoFromMs } from "./schemas/common.ts";
import { jobToWire } from "./schemas/job.ts";
import { withProblems } from "./schemas/responses.ts";

/** Bytes a client may leave unread before it is cut off. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** How long a client waits before reconnecting after the stream drops. */
const RETRY_MS = 3000;

export function eventRoutes(app: ApiApp, ctx: ApiContext, heartbeatIntervalMs: number, streams: Gauge): void {
  const open = new Set<ServerResponse>();
  // Streams never end by themselves; without this, closing the server would wait on them forever.
  app.addHook("preClose", async () => {
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
          "carries queue counts per tier. Comment lines are heartbeats.",
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
      const send = (chunk: string) => {
        if (res.destroyed || res.writableEnded) return;
        if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
        else res.write(chunk);
      };
      const unsubscribe = ctx.controlPlane.subscribe((event) => {
        const message = eventMessage(event, caller);
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
function eventMessage(event: ControlPlaneEvent, caller: Caller): string | null {
  if (event.type === "job") {
    if (!canSeeTenant(caller, event.record.job.tenantId)) return null;
    return `event: job\ndata: ${JSON.stringify({ at: isoFromMs(event.atMs), job: jobToWire(event.record) })}\n\n`;
  }
  const data = { at: isoFromMs(event.atMs), queued: event.queued, queuedByTier: event.queuedByTier };
  return `event: queue\ndata: ${JSON.stringify(data)}\n\n`;
}
