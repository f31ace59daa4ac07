// The energy reports on the wire: the documents `fjord report` writes, checked at their top level only
// (their figures are described in docs/energy.md, and the accounting's types are their full shape).
import { z } from "zod";
import { withExample } from "./common.ts";

export const eedReportSchema = withExample(
  z.looseObject({
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
  }),
  {
    format: "fjord-eed-report/1",
    regulation: "Commission Delegated Regulation (EU) 2024/1364, Annexes I and II",
    period: { fromMs: 1767225600000, toMs: 1798761600000, hours: 8760 },
    inputs: { signals: "synthetic (seed 1)" },
    dataCentres: [{ siteId: "no-kvandal", name: "Kvandal", inScope: true }],
    coverage: {
      fromMs: 1796000000000,
      toMs: 1796404800000,
      hours: 112,
      basis: "stored runs since the service started",
      sites: [
        { siteId: "no-kvandal", name: "Kvandal", reported: true, reason: "facility-operated", runs: 4120 },
      ],
    },
  },
).describe("As `fjord report eed` writes eed-report.json: figures per annex, monthly rows (docs/energy.md).");

export const footprintReportSchema = withExample(
  z.looseObject({
    format: z.literal("fjord-footprint/1"),
    tenantId: z.string(),
    period: z.object({ fromMs: z.number(), toMs: z.number() }),
    total: z.looseObject({ gpuHours: z.number(), itKWh: z.number(), facilityKWh: z.number() }),
    months: z.array(z.looseObject({ month: z.string() })),
    jobs: z.array(z.looseObject({ jobId: z.string() })),
  }),
  {
    format: "fjord-footprint/1",
    tenantId: "aurora-labs",
    period: { fromMs: 1767225600000, toMs: 1798761600000 },
    total: { gpuHours: 6349, itKWh: 9714, facilityKWh: 10411 },
    months: [{ month: "2026-11" }],
    jobs: [{ jobId: "job_01m8kdnwg27vvsn4gd9kg9qndp" }],
  },
).describe("As `fjord report footprint` writes it: totals, per month and per job (docs/energy.md).");
