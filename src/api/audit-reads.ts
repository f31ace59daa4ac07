// Operators see every tenant's data, so each time they read some it is written down in that tenant's audit
// trail: one `<object>.read` entry per tenant whose data a response carried. Tenants reading their own data
// are not logged; their access is their own business.
import type { AuditDraft } from "../store/records.ts";
import type { ApiContext } from "./api-context.ts";
import type { Caller } from "./auth/authenticator.ts";

export interface OperatorRead {
  /** E.g. `job.read`, `usage.read`. */
  action: string;
  objectType: string;
  /** The object read, or the tenant when a list or report was read. */
  objectId: (tenantId: string) => string;
  details?: Record<string, unknown>;
}

export async function auditOperatorRead(
  ctx: ApiContext,
  caller: Caller,
  tenantIds: Iterable<string>,
  read: OperatorRead,
): Promise<void> {
  if (caller.role !== "operator") return;
  const atMs = ctx.controlPlane.nowMs();
  const drafts: AuditDraft[] = [...new Set(tenantIds)].map((tenantId) => ({
    atMs,
    actor: caller.keyId,
    action: read.action,
    tenantId,
    objectType: read.objectType,
    objectId: read.objectId(tenantId),
    details: read.details ?? {},
  }));
  if (drafts.length > 0) await ctx.store.appendAudit(drafts);
}
