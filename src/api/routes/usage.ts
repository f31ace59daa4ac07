// /v1/usage: GPU-hours per tenant over a period, from the stored runs (running jobs count up to now).
import { z } from "zod";
import { idSchema, strict, timestampMs } from "../../model/input-schemas.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { auditOperatorRead } from "../audit-reads.ts";
import { tenantScope } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound, unprocessable } from "../problem.ts";
import { isoFromMs, isoTimestamp } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const DEFAULT_PERIOD_MS = 30 * 86_400_000;

const usageQuery = strict({
  from: timestampMs
    .optional()
    .describe("Start of the period (inclusive), ISO 8601; default 30 days before `to`."),
  to: timestampMs.optional().describe("End of the period (exclusive), ISO 8601; default now."),
  tenant: idSchema.optional().describe("Operators: only this tenant."),
});

const usageSchema = z.object({
  from: isoTimestamp,
  to: isoTimestamp,
  tenants: z.array(
    z.object({
      tenant: z.string(),
      gpuHours: z.number().describe("GPU-hours of runs overlapping the period, clipped to it."),
    }),
  ),
});

export function usageRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/usage",
    {
      schema: {
        tags: ["usage"],
        summary: "GPU-hours per tenant over a period",
        querystring: usageQuery,
        response: withProblems({ 200: usageSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const nowMs = ctx.controlPlane.nowMs();
      const toMs = request.query.to ?? nowMs;
      const fromMs = request.query.from ?? toMs - DEFAULT_PERIOD_MS;
      if (fromMs >= toMs) throw unprocessable("from", `must be before to (${isoFromMs(toMs)})`);
      const scope = tenantScope(caller, request.query.tenant);
      if (scope !== undefined && (await ctx.store.getTenant(scope)) === null)
        throw notFound(`no tenant ${scope}`);
      const gpuSeconds = await ctx.store.gpuSecondsByTenant(fromMs, toMs, nowMs);
      const tenantIds =
        scope !== undefined
          ? [scope]
          : [...new Set([...(await ctx.store.listTenants()).map((t) => t.id), ...gpuSeconds.keys()])].sort();
      await auditOperatorRead(ctx, caller, tenantIds, {
        action: "usage.read",
        objectType: "tenant",
        objectId: (t) => t,
        details: { from: isoFromMs(fromMs), to: isoFromMs(toMs) },
      });
      return {
        from: isoFromMs(fromMs),
        to: isoFromMs(toMs),
        tenants: tenantIds.map((tenant) => ({ tenant, gpuHours: (gpuSeconds.get(tenant) ?? 0) / 3600 })),
      };
    },
  );
}
