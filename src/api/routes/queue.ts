// /v1/queue: why each job waits and when it is expected to start. Tenant keys see their own entries;
// the per-tier counts stay facility-wide, since they say how busy a tier is, not whose work it is. The
// entries come in the scheduler's order and stop at `limit` per tier: a queue of a hundred thousand jobs
// is counted, not sent whole.
import { strict } from "../../model/input-schemas.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { DEFAULT_PAGE_LIMIT, isoFromMs, MAX_PAGE_LIMIT, pageQueryShape } from "../schemas/common.ts";
import { queueEntryToWire, queueWireSchema } from "../schemas/queue.ts";
import { withProblems } from "../schemas/responses.ts";

const queueQuery = strict({
  limit: pageQueryShape.limit.describe(
    `Most entries per tier (1–${MAX_PAGE_LIMIT}, default ${DEFAULT_PAGE_LIMIT}); waitingCount counts them all.`,
  ),
});

export function queueRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/queue",
    {
      schema: {
        tags: ["queue"],
        summary: "The queue, per tier, with waiting reasons",
        querystring: queueQuery,
        response: withProblems({ 200: queueWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      // A tenant key's view carries its own entries only; the scheduler leaves the others out.
      const view = await ctx.controlPlane.queue(
        caller.role === "operator" ? null : caller.tenantId,
        request.query.limit ?? DEFAULT_PAGE_LIMIT,
      );
      return {
        at: isoFromMs(view.atMs),
        tiers: view.tiers.map((t) => ({
          tier: t.tierId,
          waitingCount: t.waitingCount,
          waiting: t.waiting.filter((e) => canSeeTenant(caller, e.tenantId)).map(queueEntryToWire),
        })),
      };
    },
  );
}
