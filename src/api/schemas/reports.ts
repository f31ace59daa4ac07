// The energy reports on the wire: the documents `fjord report` writes, checked at their top level only
// (their figures are described in docs/energy.md, and the accounting's types are their full shape).
import { z } from "zod";

export const eedReportSchema = z
  .looseObject({
    format: z.literal("fjord-eed-report/1"),
    regulation: z.string(),
    period: z.object({ fromMs: z.number(), toMs: z.number(), hours: z.number() }),
    inputs: z.looseObject({}),
    dataCentres: z.array(z.looseObject({ siteId: z.string(), name: z.string(), inScope: z.boolean() })),
    coverage: z
      .object({
        fromMs: z.number(),
        toMs: z.number(),
        hours: z.number(),
        basis: z.string(),
        sites: z.array(
          z.object({
            siteId: z.string(),
            name: z.string(),
            reported: z.boolean(),
            reason: z.string(),
            runs: z.number(),
          }),
        ),
      })
      .describe("The hours the figures rest on, and every site of the facility: reported or not, and why."),
  })
  .describe(
    "As `fjord report eed` writes eed-report.json: figures per annex, monthly rows (docs/energy.md).",
  );

export const footprintReportSchema = z
  .looseObject({
    format: z.literal("fjord-footprint/1"),
    tenantId: z.string(),
    period: z.object({ fromMs: z.number(), toMs: z.number() }),
    total: z.looseObject({ gpuHours: z.number(), itKWh: z.number(), facilityKWh: z.number() }),
    months: z.array(z.looseObject({ month: z.string() })),
    jobs: z.array(z.looseObject({ jobId: z.string() })),
  })
  .describe("As `fjord report footprint` writes it: totals, per month and per job (docs/energy.md).");
