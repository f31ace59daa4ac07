// /v1/tiers: each tier's guarantee and borrowing limit in GPUs, what it holds now on facility-operated
// sites and how much of that is borrowed above its guarantee. Facility-wide figures like the queue's
// per-tier counts: how busy a tier is, not whose work it is, so every key may read them.
import { z } from "zod";
import { gpusOf } from "../../scheduler/policy-limits.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { EXAMPLE_AT, isoFromMs, isoTimestamp, withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const tiersWireSchema = withExample(
  z.object({
    at: isoTimestamp,
    facilityGpus: z
      .number()
      .int()
      .describe("GPUs on facility-operated sites: what tier shares are shares of."),
    tiers: z.array(
      z.object({
        tier: z.string(),
        guaranteedGpus: z.number().int(),
        borrowingLimitGpus: z
          .number()
          .int()
          .nullable()
          .describe("Most GPUs above the guarantee; null = no limit."),
        allocatedGpus: z.number().int().describe("GPUs the tier's jobs hold on facility-operated sites."),
        borrowedGpus: z.number().int().describe("allocatedGpus above guaranteedGpus."),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    facilityGpus: 110088,
    tiers: [
      {
        tier: "national",
        guaranteedGpus: 44035,
        borrowingLimitGpus: 66052,
        allocatedGpus: 50000,
        borrowedGpus: 5965,
      },
    ],
  },
);

export function tierRoutes(app: ApiApp, ctx: ApiContext): void {
  const { facility } = ctx.controlPlane;
  const facilitySites = new Set(facility.sites.filter((s) => s.operator === "facility").map((s) => s.id));
  const gpusPerNode = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  const facilityGpus = facility.nodes
    .filter((n) => facilitySites.has(n.siteId))
    .reduce((sum, n) => sum + (gpusPerNode.get(n.nodeTypeId) ?? 0), 0);

  app.get(
    "/tiers",
    {
      schema: {
        tags: ["queue"],
        summary: "Each tier's guaranteed, borrowed and allocated GPUs",
        response: withProblems({ 200: tiersWireSchema }),
      },
    },
    async () => {
      const occupancy = ctx.controlPlane.occupancy();
      const allocated = new Map<string, number>();
      for (const site of occupancy.sites)
        if (facilitySites.has(site.siteId))
          for (const [tier, gpus] of Object.entries(site.allocatedByTier))
            allocated.set(tier, (allocated.get(tier) ?? 0) + gpus);
      return {
        at: isoFromMs(occupancy.atMs),
        facilityGpus,
        tiers: ctx.controlPlane.policy().tiers.map((t) => {
          const guaranteedGpus = gpusOf(t.guaranteed, facilityGpus);
          const allocatedGpus = allocated.get(t.id) ?? 0;
          return {
            tier: t.id,
            guaranteedGpus,
            borrowingLimitGpus: t.borrowingLimit === null ? null : gpusOf(t.borrowingLimit, facilityGpus),
            allocatedGpus,
            borrowedGpus: Math.max(0, allocatedGpus - guaranteedGpus),
          };
        }),
      };
    },
  );
}
