// A tenant-run site names its tenant; that tenant lives in the policy file, so the reference can only be
// checked once both are loaded.
import { InputError, issueAt } from "../model/input-error.ts";
import { unknownReference } from "../model/input-schemas.ts";
import type { Facility, Policy } from "../model/types.ts";

/** Throws InputError (paths `sites[i].operator.tenant`) for sites run by a tenant the policy does not define. */
export function checkOperatorTenants(facility: Facility, policy: Policy, source: string): void {
  const known = policy.tenants.map((t) => t.id);
  const knownSet = new Set(known);
  const issues = facility.sites.flatMap((site, i) =>
    site.operator === "facility" || knownSet.has(site.operator.tenantId)
      ? []
      : [
          issueAt(
            ["sites", i, "operator", "tenant"],
            unknownReference("tenant", site.operator.tenantId, known),
          ),
        ],
  );
  if (issues.length > 0) throw new InputError(source, issues);
}
