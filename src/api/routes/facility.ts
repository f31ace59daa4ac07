// /v1/facility: the sites, their jurisdictions and hardware; /v1/facility/occupancy: GPUs in use per site
// and tier right now. Both are facility-wide and carry no tenant's work.
import type { ApiApp, ApiContext } from "../api-context.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
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
}
