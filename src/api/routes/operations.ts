// Probes for the orchestrator, outside /v1 and without a key: /healthz says the process answers, /readyz
// that it can do its work (the database answers and the control loop has restored the queue and running
// jobs). While it loads, /readyz answers 503 saying what it is doing; the first pass runs after that.
import { z } from "zod";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { HttpProblem } from "../problem.ts";
import { withProblems } from "../schemas/responses.ts";

const statusSchema = z.object({ status: z.literal("ok") });

export function operationsRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["operations"],
        summary: "Liveness: the process is up",
        security: [],
        response: withProblems({ 200: statusSchema }),
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["operations"],
        summary: "Readiness: the database answers and the control loop is running",
        security: [],
        response: withProblems({ 200: statusSchema }),
      },
    },
    async (request) => {
      const storeUp = await ctx.store.ping().catch((err: unknown) => {
        request.log.warn({ err }, "readiness: the store did not answer");
        return false;
      });
      if (!storeUp) throw new HttpProblem(503, "the database does not answer");
      const { state, detail } = ctx.controlPlane.lifecycle();
      if (state === "created" || state === "loading")
        throw new HttpProblem(503, `starting: ${detail}`, { headers: { "retry-after": "1" } });
      if (!ctx.controlPlane.ready()) throw new HttpProblem(503, "the control loop is not running");
      return { status: "ok" as const };
    },
  );
}
