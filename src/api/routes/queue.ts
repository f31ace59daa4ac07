// /v1/queue: why each job waits and when it is expected to start. Tenant keys see their own entries;
// the per-tier counts stay facility-wide, since they say how busy a tier is, not whose work it is.
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { isoFromMs } from "../schemas/common.ts";
import { queueEntryToWire, queueWireSchema } from "../schemas/queue.ts";
import { withProblems } from "../schemas/responses.ts";

export function queueRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/queue",
    {
      schema: {
        tags: ["queue"],
        summary: "The queue, per tier, with waiting reasons",
        response: withProblems({ 200: queueWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const view = ctx.controlPlane.queue();
      return {
        at: isoFromMs(view.atMs),
        tiers: view.tiers.map((t) => ({
          tier: t.tierId,
          waitingCount: t.waiting.length,
          waiting: t.waiting.filter((e) => canSeeTenant(caller, e.tenantId)).map(queueEntryToWire),
        })),
      };
    },
  );
}
