// /v1/api-keys: operators manage every key; tenant admins manage their own tenant's keys; members none.
// The secret is in the creation response only, and hashes are never returned.
import { z } from "zod";
import { strict } from "../../model/input-schemas.ts";
import type { ApiKeyRecord, AuditDraft, Role } from "../../store/records.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { canSeeTenant, ownTenant, requireRole, tenantScope } from "../auth/access.ts";
import { createApiKey } from "../auth/api-keys.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import type { Caller } from "../auth/authenticator.ts";
import { forbidden, notFound, unprocessable } from "../problem.ts";
import { apiKeyBodySchema, apiKeyToWire, apiKeyWireSchema, createdApiKeySchema } from "../schemas/api-key.ts";
import { apiKeyIdParam, tenantIdParam } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const KEY_MANAGERS: Role[] = ["operator", "tenant-admin"];

export function apiKeyRoutes(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/api-keys",
    {
      schema: {
        tags: ["api-keys"],
        summary: "Create an API key",
        description:
          "Operators create keys of any role; tenant admins create tenant-admin and tenant-member keys of " +
          "their own tenant. The response holds the key itself, which is shown only once.",
        body: apiKeyBodySchema,
        response: withProblems({ 201: createdApiKeySchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireRole(caller, KEY_MANAGERS, "creating API keys");
      const { name, role, rateLimitPerMin } = request.body;
      if (caller.role !== "operator" && rateLimitPerMin != null)
        throw forbidden("only operators may set a key's rateLimitPerMin");
      const tenantId = await keyTenant(caller, role, request.body.tenant ?? null, ctx);
      const atMs = ctx.controlPlane.nowMs();
      const { key, record } = createApiKey({
        tenantId,
        role,
        name,
        atMs,
        rateLimitPerMin: rateLimitPerMin ?? null,
      });
      await ctx.store.insertApiKey(record, keyDraft(caller, record, "api-key.create", atMs));
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send({ key, apiKey: apiKeyToWire(record) });
    },
  );

  app.get(
    "/api-keys",
    {
      schema: {
        tags: ["api-keys"],
        summary: "List API keys",
        description:
          "Operators: every key, or one tenant's with `tenant`. Tenant admins: their tenant's keys.",
        querystring: strict({ tenant: tenantIdParam.optional() }),
        response: withProblems({ 200: z.object({ items: z.array(apiKeyWireSchema) }) }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requireRole(caller, KEY_MANAGERS, "listing API keys");
      const tenantId = tenantScope(caller, request.query.tenant);
      const keys =
        tenantId !== undefined
          ? await ctx.store.listApiKeys(tenantId)
          : [
              ...(await ctx.store.listApiKeys(null)),
              ...(
                await Promise.all((await ctx.store.listTenants()).map((t) => ctx.store.listApiKeys(t.id)))
              ).flat(),
            ];
      return { items: keys.map(apiKeyToWire) };
    },
  );

  app.post(
    "/api-keys/:id/revoke",
    {
      schema: {
        tags: ["api-keys"],
        summary: "Revoke an API key",
        description: "The key stops working at once. Revoking a revoked key changes nothing and returns it.",
        params: strict({ id: apiKeyIdParam }),
        response: withProblems({ 200: apiKeyWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requireRole(caller, KEY_MANAGERS, "revoking API keys");
      const { id } = request.params;
      const record = await ctx.store.getApiKey(id);
      if (record === null || !canSeeTenant(caller, record.tenantId)) throw notFound(`no API key ${id}`);
      if (record.revokedAtMs === null) {
        const atMs = ctx.controlPlane.nowMs();
        await ctx.store.revokeApiKey(id, atMs, keyDraft(caller, record, "api-key.revoke", atMs));
      }
      ctx.authenticator.forget(id);
      const revoked = await ctx.store.getApiKey(id);
      if (revoked === null) throw new Error(`API key ${id} disappeared while being revoked`);
      return apiKeyToWire(revoked);
    },
  );
}

/** The tenant a new key belongs to: none for operator keys, an existing tenant the caller may manage otherwise. */
async function keyTenant(
  caller: Caller,
  role: Role,
  requested: string | null,
  ctx: ApiContext,
): Promise<string | null> {
  if (caller.role !== "operator") {
    if (role === "operator")
      throw forbidden("tenant admins may create tenant-admin and tenant-member keys only");
    if (requested !== null && requested !== caller.tenantId)
      throw unprocessable("tenant", `must be this key's tenant, ${caller.tenantId}, or left out`);
    return ownTenant(caller);
  }
  if (role === "operator") {
    if (requested !== null)
      throw unprocessable("tenant", "must be left out: operator keys belong to no tenant");
    return null;
  }
  if (requested === null) throw unprocessable("tenant", `is required for a ${role} key`);
  if ((await ctx.store.getTenant(requested)) === null)
    throw unprocessable("tenant", `unknown tenant '${requested}'`);
  return requested;
}

function keyDraft(caller: Caller, key: ApiKeyRecord, action: string, atMs: number): AuditDraft {
  return {
    atMs,
    actor: caller.keyId,
    action,
    tenantId: key.tenantId,
    objectType: "api-key",
    objectId: key.id,
    details: { role: key.role, name: key.name },
  };
}
