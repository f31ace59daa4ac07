// /v1/reports: the energy reports of `fjord report`, from the live service's stored runs. `eed` is the
// annual EU data-centre report (Delegated Regulation (EU) 2024/1364) per facility-operated site, for a
// past year or the current year so far (operators); `footprint` is one tenant's energy, water, heat and
// CO2e per job and month. Both are the accounting of docs/energy.md, run on the accounting thread, and
// come as JSON or, with `format`, as the CSV or HTML file `fjord report` writes.
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { type ReportInputs, reportSites } from "../../accounting/eed-report.ts";
import type { TenantFootprint } from "../../accounting/footprint-report.ts";
import { MS_PER_HOUR, type Period, yearPeriod } from "../../accounting/period.ts";
import { eedCsv, footprintCsv } from "../../cli/render/eed-csv.ts";
import { eedHtml } from "../../cli/render/eed-html.ts";
import { idSchema, strict } from "../../model/input-schemas.ts";
import type { Facility } from "../../model/types.ts";
import { type CoveredEedReport, runsBySite, withCoverage } from "../../report/eed-coverage.ts";
import { fmtUtc } from "../../report/format.ts";
import { roundedDocument } from "../../report/round.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { auditOperatorRead } from "../audit-reads.ts";
import { requireRole, tenantScope } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound, unprocessable } from "../problem.ts";
import { tenantIdParam, withExample } from "../schemas/common.ts";
import { eedReportSchema, footprintReportSchema } from "../schemas/reports.ts";
import { withProblems } from "../schemas/responses.ts";

const yearQuery = z
  .string()
  .regex(/^\d{4}$/, "must be a calendar year like 2026")
  .transform(Number)
  .pipe(z.number().int().min(1970, "must be 1970 or later"))
  .meta({ example: "2026" })
  .describe("Calendar year (UTC); the current year gives the year so far.");

/** The report as a file to keep: the one `fjord report` writes under the name it gives it. */
function reportFormat(formats: readonly [string, ...string[]]) {
  return z
    .enum(formats)
    .optional()
    .describe(
      `json (default), or ${formats.filter((f) => f !== "json").join(" or ")}: the file \`fjord report\` writes, as an attachment.`,
    );
}

const eedQuery = strict({
  year: yearQuery,
  format: reportFormat(["json", "csv", "html"]),
  site: withExample(idSchema, "no-kvandal")
    .optional()
    .describe("Only this site (default: every facility-operated site that reports)."),
});

const footprintQuery = strict({
  year: yearQuery,
  format: reportFormat(["json", "csv"]),
  tenant: tenantIdParam.optional().describe("Operators: the tenant (required). Tenant keys: their own."),
});

export function reportRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/reports/eed",
    {
      schema: {
        tags: ["reports"],
        summary: "The annual EU data-centre report from the stored runs (operators)",
        querystring: eedQuery,
        response: withProblems({ 200: eedReportSchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireRole(caller, ["operator"], "reading the data-centre report");
      const { facility } = ctx.controlPlane;
      const siteIds = reportingSites(facility, request.query.site);
      const { period: yearSoFar, nowMs } = reportPeriod(ctx, request.query.year);
      const { period, basis } = await recordedSpan(ctx, yearSoFar, request.query.year);
      const input = await reportInput(ctx, period, nowMs);
      const inputs: ReportInputs = {
        facility: facility.name,
        simulation: "the live service's stored runs",
        run: "live",
        scheduleFromMs: period.fromMs,
        scheduleToMs: period.toMs,
        signals: ctx.energy.signalsSource,
      };
      const report = withCoverage(await ctx.accounting.eedReport({ ...input, siteIds, inputs }), facility, {
        basis,
        runsBySite: runsBySite(input.runs),
        askedSite: request.query.site,
      });
      await ctx.store.appendAudit([
        {
          atMs: nowMs,
          actor: caller.keyId,
          action: "report.read",
          tenantId: null,
          objectType: "report",
          objectId: `eed-${request.query.year}`,
          details: { sites: siteIds },
        },
      ]);
      // Rounded to 6 significant digits, as the CLI writes it.
      const rounded = roundedDocument(report);
      const name = `eed-report-${request.query.year}`;
      if (request.query.format === "csv")
        return attachment(reply, `${name}.csv`, eedCsv(rounded as CoveredEedReport));
      if (request.query.format === "html")
        return attachment(reply, `${name}.html`, eedHtml(rounded as CoveredEedReport, facility.name));
      return rounded as z.output<typeof eedReportSchema>;
    },
  );

  app.get(
    "/reports/footprint",
    {
      schema: {
        tags: ["reports"],
        summary: "A tenant's energy, water, heat and CO2e per job and month over a year",
        querystring: footprintQuery,
        response: withProblems({ 200: footprintReportSchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const tenantId = tenantScope(caller, request.query.tenant);
      if (tenantId === undefined) throw unprocessable("tenant", "is required for operator keys");
      if ((await ctx.store.getTenant(tenantId)) === null) throw notFound(`no tenant ${tenantId}`);
      const { period, nowMs } = reportPeriod(ctx, request.query.year);
      const input = await reportInput(ctx, period, nowMs);
      const footprint = await ctx.accounting.footprint({ ...input, tenantId });
      await auditOperatorRead(ctx, caller, [tenantId], {
        action: "usage.read",
        objectType: "tenant",
        objectId: (t) => t,
        details: { report: "footprint", year: request.query.year },
      });
      const rounded = roundedDocument(footprint);
      if (request.query.format === "csv") {
        const name = `footprint-${tenantId}-${request.query.year}.csv`;
        return attachment(reply, name, footprintCsv(rounded as TenantFootprint));
      }
      return rounded as z.output<typeof footprintReportSchema>;
    },
  );
}

const FILE_TYPES = new Map([
  ["csv", "text/csv; charset=utf-8"],
  ["html", "text/html; charset=utf-8"],
]);

/**
 * A report file, to be saved rather than shown: a download, and should a browser show it anyway, a page
 * that may run nothing and fetch nothing (the HTML report is self-contained, its styles inline).
 */
function attachment(reply: FastifyReply, name: string, body: string): FastifyReply {
  return reply
    .header("content-type", FILE_TYPES.get(name.slice(name.lastIndexOf(".") + 1)))
    .header("content-disposition", `attachment; filename="${name}"`)
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .header("x-content-type-options", "nosniff")
    .send(body);
}

/** The year's whole hours up to now; a year that has not begun is refused, naming `year`. */
function reportPeriod(ctx: ApiContext, year: number): { period: Period; nowMs: number } {
  const nowMs = ctx.controlPlane.nowMs();
  const whole = yearPeriod(year);
  const toMs = Math.min(whole.toMs, Math.ceil(nowMs / MS_PER_HOUR) * MS_PER_HOUR);
  if (toMs <= whole.fromMs)
    throw unprocessable("year", `has not begun (now ${new Date(nowMs).toISOString()})`);
  return { period: { fromMs: whole.fromMs, toMs }, nowMs };
}

/**
 * The part of the year the service has data for: from the hour of its first record (its first audit entry),
 * so hours before the service existed are left out rather than counted as idle GPUs; a year that ended
 * before the first record is refused, naming `year`.
 */
async function recordedSpan(
  ctx: ApiContext,
  year: Period,
  yearNumber: number,
): Promise<{ period: Period; basis: string }> {
  // A store without entries has recorded nothing before now.
  const firstMs = (await ctx.store.auditRange(1, 1))[0]?.atMs ?? ctx.controlPlane.nowMs();
  const fromMs = Math.max(year.fromMs, Math.floor(firstMs / MS_PER_HOUR) * MS_PER_HOUR);
  if (fromMs >= year.toMs)
    throw unprocessable("year", `is before the service's first record (${fmtUtc(firstMs)})`);
  const period = { fromMs, toMs: year.toMs };
  const soFar = year.toMs < yearPeriod(yearNumber).toMs ? " so far" : "";
  if (fromMs === year.fromMs)
    return { period, basis: `the service's stored runs over the whole of ${yearNumber}${soFar}` };
  const leftOutH = (fromMs - year.fromMs) / MS_PER_HOUR;
  return {
    period,
    basis:
      `the service's stored runs from its first record (${fmtUtc(firstMs)}) on; the ` +
      `${leftOutH.toLocaleString("en-US")} h of ${yearNumber} before it are left out, not counted as idle`,
  };
}

/** Every tenant's runs in the period and the signals for its hours; a period without signals names `year`. */
async function reportInput(ctx: ApiContext, period: Period, nowMs: number) {
  const reading = ctx.energy.signalsFor(period);
  if (!reading.ok) throw unprocessable("year", `the year needs hourly signals: ${reading.problem}`);
  const policy = ctx.controlPlane.policy();
  return {
    runs: await ctx.store.jobRunsOverlapping(period.fromMs, period.toMs, nowMs),
    signals: reading.signals,
    period,
    tierOf: new Map(policy.tenants.map((t) => [t.id, t.tierId])),
  };
}

/** The sites the report covers (eed-report.ts), or a 422 naming `site`. */
function reportingSites(facility: Facility, site: string | undefined): string[] {
  const sites = reportSites(facility, site);
  if (!sites.ok) throw unprocessable("site", sites.reason);
  return sites.siteIds;
}
