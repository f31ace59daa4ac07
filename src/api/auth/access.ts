// Who may see what. Operators see every tenant; tenant keys see their own tenant only, and anything of
// another tenant answers exactly as if it did not exist (404), so ids cannot be probed.
import type { Role } from "../../store/records.ts";
import { forbidden, notFound } from "../problem.ts";
import type { Caller } from "./authenticator.ts";

export function canSeeTenant(caller: Caller, tenantId: string | null): boolean {
  return caller.role === "operator" || (tenantId !== null && caller.tenantId === tenantId);
}

/** Throws 403 unless the caller has one of the roles; the route exists for everyone, so naming it is no leak. */
export function requireRole(caller: Caller, roles: readonly Role[], action: string): void {
  if (!roles.includes(caller.role))
    throw forbidden(`${action} needs a key with role ${roles.join(" or ")}; this key is ${caller.role}`);
}

/**
 * The tenant a list or report covers. Operators: the one asked for, or all (undefined). Tenant keys: their
 * own, whether asked for or not; asking for another tenant is a 404 like any other tenant's object.
 */
export function tenantScope(caller: Caller, requested: string | undefined): string | undefined {
  if (caller.role === "operator") return requested;
  if (requested !== undefined && requested !== caller.tenantId) throw notFound(`no tenant ${requested}`);
  return ownTenant(caller);
}

/** The tenant of a tenant key (which always has one). */
export function ownTenant(caller: Caller): string {
  if (caller.tenantId === null) throw new Error(`key ${caller.keyId} has role ${caller.role} but no tenant`);
  return caller.tenantId;
}
