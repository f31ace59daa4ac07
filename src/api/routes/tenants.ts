// /v1/tenants: operators list, create and change tenants (each change is a policy change the scheduler works
// on from its next pass); a tenant's own keys may read their tenant.
import { z } from "zod";
import { strict } from "../../model/input-schemas.ts";
import type { Tenant } from "../../model/types.ts";
import { UnknownTierError } from "../../service/control-plane.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant, requireRole } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound, unprocessable } from "../problem.ts";
import { tenantIdParam } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";
import { tenantBodySchema, tenantFromBody, tenantToWire, tenantWireSchema } from "../schemas/tenant.ts";

const tenantParams = strict({ id: tenantIdParam.max(100) });

export function tenantRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/tenants",
    {
      schema: {
        tags: ["tenants"],
        summary: "List tenants (operators)",
        response: withProblems({ 200: z.object({ items: z.array(tenantWireSchema) }) }),
      },
    },
    async (request) => {
      requireRole(callerOf(request), ["operator"], "listing tenants");
      return { items: (await ctx.store.listTenants()).map(tenantToWire) };
    },
  );

  app.get(
    "/tenants/:id",
    {
      schema: {
        tags: ["tenants"],
        summary: "Read a tenant",
        description: "Operators, or keys of that tenant.",
        params: tenantParams,
        response: withProblems({ 200: tenantWireSchema }),
      },
    },
    async (request) => {
      const { id } = request.params;
      const tenant = canSeeTenant(callerOf(request), id) ? await ctx.store.getTenant(id) : null;
      if (tenant === null) throw notFound(`no tenant ${id}`);
      return tenantToWire(tenant);
    },
  );

  app.put(
    "/tenants/:id",
    {
      schema: {
        tags: ["tenants"],
        summary: "Create or change a tenant (operators)",
        description:
          "A policy change: audited as policy.change, and the scheduler applies it from its next pass. " +
          "201 when the tenant is new, 200 when it was changed.",
        params: tenantParams,
        body: tenantBodySchema,
        response: withProblems({ 200: tenantWireSchema, 201: tenantWireSchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireRole(caller, ["operator"], "changing tenants");
      const tenant = tenantFromBody(request.params.id, request.body);
      checkTierRules(tenant, ctx);
      const existed = (await ctx.store.getTenant(tenant.id)) !== null;
      try {
        const saved = await ctx.controlPlane.putTenant(caller, tenant);
        return reply.code(existed ? 200 : 201).send(tenantToWire(saved));
      } catch (err) {
        if (err instanceof UnknownTierError)
          throw unprocessable("tier", `unknown tier '${err.tierId}' (tiers: ${err.knownTierIds.join(", ")})`);
        throw err;
      }
    },
  );
}

/** The tier rules a tenant must meet, checked before anything is stored (the policy file checks the same). */
function checkTierRules(tenant: Tenant, ctx: ApiContext): void {
  const tiers = ctx.controlPlane.policy().tiers;
  const tier = tiers.find((t) => t.id === tenant.tierId);
  if (tier === undefined)
    throw unprocessable(
      "tier",
      `unknown tier '${tenant.tierId}' (tiers: ${tiers.map((t) => t.id).join(", ")})`,
    );
  if (tier.requires.includes("norwegian-org-number") && tenant.orgNumber === null)
    throw unprocessable(
      "orgNumber",
      `is required: tier '${tier.id}' admits only tenants with a valid Norwegian organisation number`,
    );
}
