// /v1/audit: the hash-chained log in pages (tenant keys see their own tenant's entries only), and
// /v1/audit/export: one tenant's whole trail with who touched its work and where it ran (operators).
import { Readable } from "node:stream";
import type { ChainHead } from "../../audit/hash-chain.ts";
import { strict } from "../../model/input-schemas.ts";
import { AUDIT_HEAD_KEY } from "../../store/audit-append.ts";
import type { ApiApp, ApiContext } from "../api-context.ts";
import { auditExportJson } from "../audit-export.ts";
import { auditOperatorRead } from "../audit-reads.ts";
import { requireRole, tenantScope } from "../auth/access.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { notFound } from "../problem.ts";
import { auditEntryToWire, auditEntryWireSchema, auditExportSchema } from "../schemas/audit.ts";
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  pageOf,
  pageQueryShape,
  tenantIdParam,
} from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

export function auditRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "Audit entries, oldest first",
        description: "Tenant keys see the entries about their own tenant only.",
        querystring: strict({ tenant: tenantIdParam.optional(), ...pageQueryShape }),
        response: withProblems({ 200: pageOf(auditEntryWireSchema) }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { tenant, limit, cursor } = request.query;
      const page = await ctx.store.listAudit({
        tenantId: tenantScope(caller, tenant),
        limit: limit ?? DEFAULT_PAGE_LIMIT,
        cursor: cursor ?? null,
      });
      await auditOperatorRead(
        ctx,
        caller,
        page.items.flatMap((e) => (e.tenantId === null ? [] : [e.tenantId])),
        { action: "audit.read", objectType: "tenant", objectId: (t) => t },
      );
      return { items: page.items.map(auditEntryToWire), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/audit/export",
    {
      schema: {
        tags: ["audit"],
        summary: "One tenant's audit trail, with actors and jurisdictions (operators)",
        querystring: strict({ tenant: tenantIdParam }),
        response: withProblems({ 200: auditExportSchema }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireRole(caller, ["operator"], "exporting a tenant's audit trail");
      const { tenant } = request.query;
      if ((await ctx.store.getTenant(tenant)) === null) throw notFound(`no tenant ${tenant}`);
      // The export covers the chain up to its head now; the read is recorded before anything is sent, so
      // no trail leaves the service unrecorded, whatever happens to the stream.
      const throughSeq = (await ctx.store.getValue<ChainHead>(AUDIT_HEAD_KEY))?.seq ?? 0;
      await auditOperatorRead(ctx, caller, [tenant], {
        action: "audit.read",
        objectType: "tenant",
        objectId: (t) => t,
        details: { export: true, throughSeq },
      });
      const json = auditExportJson(
        tenant,
        auditPages(ctx, tenant, throughSeq),
        ctx.controlPlane.facility,
        ctx.controlPlane.nowMs(),
      );
      // A stream is sent as it is, not through the response schema's serializer (which would need it whole).
      return reply.type("application/json; charset=utf-8").send(Readable.from(json) as never);
    },
  );
}

/** The tenant's entries up to `throughSeq`, a page at a time. */
async function* auditPages(ctx: ApiContext, tenantId: string, throughSeq: number) {
  let cursor: string | null = null;
  do {
    const page = await ctx.store.listAudit({ tenantId, limit: MAX_PAGE_LIMIT, cursor });
    const upTo = page.items.filter((e) => e.seq <= throughSeq);
    yield upTo;
    if (upTo.length < page.items.length) return;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
