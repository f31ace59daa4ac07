// /v1/simulation-reports: the runs `fjord simulate` wrote under the directory `fjord serve
// --simulation-reports DIR` names, and each run's report.html (operators: a simulation replays every
// tenant's work under a policy, so it is planning material, not a tenant's own data). Read-only.
import { z } from "zod";
import { strict } from "../../model/input-schemas.ts";
import type { ApiApp } from "../api-context.ts";
import { requireRole } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound } from "../problem.ts";
import { isoFromMs, withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";
import {
  RUN_ID_PATTERN,
  reportContentSecurityPolicy,
  type SimulationReports,
  simulationInputsSchema,
} from "../simulation-reports.ts";

const runSchema = z.object({
  id: z.string(),
  title: z.string().describe("The report's title: the facility and each run's label."),
  inputs: simulationInputsSchema.describe(
    "The files and options the run was simulated from, as fjord simulate was given them.",
  ),
  writtenAt: z.string(),
  reportBytes: z.number().int(),
  reportUrl: z.string(),
});

const listSchema = withExample(
  z.object({
    enabled: z.boolean().describe("Whether this service was started with --simulation-reports."),
    runs: z.array(runSchema).describe("Newest first."),
    skipped: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .describe("Entries of the directory that are not runs fjord simulate wrote, and why."),
  }),
  {
    enabled: true,
    runs: [
      {
        id: "fair-share-2026",
        title: "Stargate Norway and partner sites: default vs fifo",
        inputs: {
          facility: "facilities/stargate-norway.yaml",
          policy: "policies/default.yaml",
          workload: "workloads/week.yaml",
          seed: 1,
        },
        writtenAt: "2026-12-01T09:00:00.000Z",
        reportBytes: 812_340,
        reportUrl: "/v1/simulation-reports/fair-share-2026",
      },
    ],
    skipped: [{ name: "notes", reason: "it is not a directory" }],
  },
);

const runIdParam = withExample(
  z
    .string()
    .regex(RUN_ID_PATTERN, "must be a run id: letters, digits, '.', '_' or '-', not starting with '.'"),
  "fair-share-2026",
);

export function simulationReportRoutes(app: ApiApp, reports: SimulationReports | null): void {
  app.get(
    "/simulation-reports",
    {
      schema: {
        tags: ["reports"],
        summary:
          "The runs fjord simulate wrote under the service's --simulation-reports directory (operators)",
        querystring: strict({}),
        response: withProblems({ 200: listSchema }),
      },
    },
    async (request) => {
      requireRole(callerOf(request), ["operator"], "reading simulation reports");
      if (reports === null) return { enabled: false, runs: [], skipped: [] };
      const { runs, skipped } = reports.list();
      return {
        enabled: true,
        runs: runs.map(({ writtenAtMs, ...run }) => ({
          ...run,
          writtenAt: isoFromMs(writtenAtMs),
          reportUrl: `/v1/simulation-reports/${run.id}`,
        })),
        skipped,
      };
    },
  );

  app.get(
    "/simulation-reports/:id",
    {
      schema: {
        tags: ["reports"],
        summary: "A simulation run's report.html (operators)",
        description:
          "The page fjord simulate wrote, served with a Content-Security-Policy that sandboxes it and runs only " +
          "the chart scripts this Fjord inlines in its reports.",
        params: strict({ id: runIdParam }),
        querystring: strict({}),
        response: withProblems({
          200: { description: "The report page.", content: { "text/html": { schema: z.string() } } },
        }),
      },
    },
    async (request, reply) => {
      requireRole(callerOf(request), ["operator"], "reading simulation reports");
      if (reports === null)
        throw notFound("this service lists no simulation reports: start it with --simulation-reports DIR");
      const found = reports.report(request.params.id);
      if ("missing" in found) throw notFound(`no simulation report ${request.params.id}: ${found.missing}`);
      return reply
        .header("content-type", "text/html; charset=utf-8")
        .header("content-security-policy", reportContentSecurityPolicy())
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-store")
        .send(found.html);
    },
  );
}
