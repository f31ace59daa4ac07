// /v1/usage: per tenant over a period, GPU-hours and the energy, water, heat and emissions of its runs, from
// the stored runs (running jobs count up to now) by the accounting core (usage-footprint.ts).
import { z } from "zod";
import { emptyFootprint } from "../../accounting/footprint.ts";
import { strict, timestampMs } from "../../model/input-schemas.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { auditOperatorRead } from "../audit-reads.ts";
import { tenantScope } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound, unprocessable } from "../problem.ts";
import { isoFromMs, isoTimestamp, tenantIdParam, withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";
import { wholeHoursAround } from "../usage-footprint.ts";

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;
/** A leap year; longer periods are asked for in parts, so no one request runs for long. */
const MAX_PERIOD_DAYS = 366;
/** Synthetic signals and `fjord report` work in calendar years from 1970 on. */
const EARLIEST_FROM_MS = 0;

const METHOD =
  "Modelled, not metered (docs/energy.md): each run's GPUs, hours and utilisation give its IT energy; " +
  "each hour at each site, a job carries its share of the facility's cooling, losses, water, reused heat " +
  "and emissions in proportion to its IT energy. Idle capacity is charged to no tenant.";

const usageQuery = strict({
  from: withExample(timestampMs, "2026-10-30T11:00:00Z")
    .optional()
    .describe(
      `Start of the period (inclusive), ISO 8601, 1970 or later; default 30 days before \`to\`. At most ${MAX_PERIOD_DAYS} days before \`to\`.`,
    ),
  to: withExample(timestampMs, "2026-11-29T11:00:00Z")
    .optional()
    .describe("End of the period (exclusive), ISO 8601; default now."),
  tenant: tenantIdParam.optional().describe("Operators: only this tenant."),
});

const usageSchema = withExample(
  z.object({
    from: isoTimestamp,
    to: isoTimestamp,
    method: z.string().describe("How the figures are made, and the hourly signals they rest on."),
    tenants: z.array(
      z.object({
        tenant: z.string(),
        gpuHours: z.number().describe("GPU-hours of runs overlapping the period, clipped to it."),
        itEnergyKWh: z
          .number()
          .describe("IT energy of those GPU-hours (node share, idle and utilisation power)."),
        facilityEnergyKWh: z
          .number()
          .describe("IT energy plus its share of cooling, electrical losses and auxiliary load."),
        waterL: z.number().describe("Its share of the site's water input."),
        heatReusedKWh: z.number().describe("Its share of the waste heat handed over to heat offtakers."),
        co2eKgLocationBased: z.number().describe("Emissions of its energy at the grid's hourly intensity."),
        co2eKgMarketBased: z
          .number()
          .describe("Emissions of its energy no renewable contract covers, at the residual mix."),
      }),
    ),
  }),
  {
    from: "2026-10-30T11:00:00.000Z",
    to: "2026-11-29T11:00:00.000Z",
    method: "Modelled, not metered (docs/energy.md): …",
    tenants: [
      {
        tenant: "aurora-labs",
        gpuHours: 2648,
        itEnergyKWh: 4046.75,
        facilityEnergyKWh: 4337.02,
        waterL: 413.3,
        heatReusedKWh: 1017.42,
        co2eKgLocationBased: 78.46,
        co2eKgMarketBased: 49.35,
      },
    ],
  },
);

export function usageRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/usage",
    {
      schema: {
        tags: ["usage"],
        summary: "GPU-hours, energy, water, heat and CO2e per tenant over a period",
        description: `${METHOD} Tenant keys see their own tenant only.`,
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
      if (toMs - fromMs > MAX_PERIOD_DAYS * DAY_MS)
        throw unprocessable(
          "from",
          `must be at most ${MAX_PERIOD_DAYS} days before to (${isoFromMs(toMs)}); ask for a longer period in parts`,
        );
      if (fromMs < EARLIEST_FROM_MS)
        throw unprocessable("from", `must be ${isoFromMs(EARLIEST_FROM_MS)} or later`);
      const scope = tenantScope(caller, request.query.tenant);
      if (scope !== undefined && (await ctx.store.getTenant(scope)) === null)
        throw notFound(`no tenant ${scope}`);

      const period = { fromMs, toMs };
      const hours = wholeHoursAround(period);
      const reading = ctx.energy.signalsFor(hours);
      if (!reading.ok) throw unprocessable("from", `the period needs hourly signals: ${reading.problem}`);
      const policy = ctx.controlPlane.policy();
      const byTenant = await ctx.accounting.usageByTenant({
        runs: await ctx.store.jobRunsOverlapping(hours.fromMs, hours.toMs, nowMs),
        signals: reading.signals,
        period,
        tierOf: new Map(policy.tenants.map((t) => [t.id, t.tierId])),
      });
      const tenantIds =
        scope !== undefined
          ? [scope]
          : [...new Set([...(await ctx.store.listTenants()).map((t) => t.id), ...byTenant.keys()])].sort();
      await auditOperatorRead(ctx, caller, tenantIds, {
        action: "usage.read",
        objectType: "tenant",
        objectId: (t) => t,
        details: { from: isoFromMs(fromMs), to: isoFromMs(toMs) },
      });
      return {
        from: isoFromMs(fromMs),
        to: isoFromMs(toMs),
        method: `${METHOD} Hourly signals: ${ctx.energy.signalsSource}.`,
        tenants: tenantIds.map((tenant) => {
          const f = byTenant.get(tenant) ?? emptyFootprint();
          return {
            tenant,
            gpuHours: f.gpuHours,
            itEnergyKWh: f.itKWh,
            facilityEnergyKWh: f.facilityKWh,
            waterL: f.waterL,
            heatReusedKWh: f.heatReusedKWh,
            co2eKgLocationBased: f.co2eLocationKg,
            co2eKgMarketBased: f.co2eMarketKg,
          };
        }),
      };
    },
  );
}
