// /v1/facility: the sites, their jurisdictions and hardware; /v1/facility/occupancy: GPUs in use per site
// and tier right now. Both are facility-wide and carry no tenant's work.
import { z } from "zod";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { requireRole } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { withExample } from "../schemas/common.ts";
import {
  facilityToWire,
  facilityWireSchema,
  occupancyToWire,
  occupancyWireSchema,
} from "../schemas/facility.ts";
import { withProblems } from "../schemas/responses.ts";

export function facilityRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/facility",
    {
      schema: {
        tags: ["facility"],
        summary: "Sites, jurisdictions, node types and counts",
        response: withProblems({ 200: facilityWireSchema }),
      },
    },
    async (request) => facilityToWire(ctx.controlPlane.facility, callerOf(request)),
  );

  app.get(
    "/facility/occupancy",
    {
      schema: {
        tags: ["facility"],
        summary: "Live occupancy per site",
        response: withProblems({ 200: occupancyWireSchema }),
      },
    },
    async () => occupancyToWire(ctx.controlPlane.occupancy()),
  );

  app.get(
    "/facility/orphans",
    {
      schema: {
        tags: ["facility"],
        summary: "Work on the sites' clusters that Fjord did not submit (operators)",
        response: withProblems({ 200: orphansWireSchema }),
      },
    },
    async (request) => {
      requireRole(callerOf(request), ["operator"], "listing work Fjord did not submit");
      return { items: ctx.controlPlane.orphans() };
    },
  );
}

const orphansWireSchema = withExample(
  z.object({
    items: z.array(
      z.object({
        siteId: z.string(),
        clusterJobId: z.string().describe("The cluster's own job id (Slurm's)."),
        name: z.string(),
        state: z.string().describe("The cluster's state of the job, e.g. RUNNING or PENDING."),
        nodeIds: z.array(z.string()).describe("Fjord's ids of the nodes it holds; they get no Fjord work."),
      }),
    ),
  }),
  {
    items: [
      {
        siteId: "fjord-north",
        clusterJobId: "4211",
        name: "maintenance-burn-in",
        state: "RUNNING",
        nodeIds: ["fjord-north/hall-a-r001-n03"],
      },
    ],
  },
).describe("As of each Slurm site's latest poll (about a second); empty when every site is simulated.");
