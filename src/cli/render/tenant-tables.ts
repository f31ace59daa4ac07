// `fjord tenants`: tenants in the policy's terms — tier, fair-share weight, GPU quota — with the
// organisation number and country the national tier checks.
import type { z } from "zod";
import type { tenantWireSchema } from "../../api/schemas/tenant.ts";
import { formatInt, formatUtcMinute } from "../../model/format.ts";
import { fieldTable, right, titledTable } from "./plain-table.ts";

export type TenantWire = z.output<typeof tenantWireSchema>;

export function tenantListTable(tenants: readonly TenantWire[]): string {
  return titledTable(
    "Tenants",
    ["Tenant", "Name", "Tier", "Weight", "GPU quota", "Organisation number", "Country", "Created"],
    tenants.map((t) => [
      t.id,
      t.name,
      t.tier,
      right(String(t.weight)),
      right(quota(t)),
      t.orgNumber ?? "",
      t.country ?? "",
      formatUtcMinute(Date.parse(t.createdAt)),
    ]),
  );
}

export function tenantDetail(t: TenantWire): string {
  return fieldTable([
    ["Tenant", t.id],
    ["Name", t.name],
    ["Tier", t.tier],
    ["Fair-share weight", String(t.weight)],
    ["GPU quota", quota(t)],
    ["Organisation number", t.orgNumber ?? "none"],
    ["Country", t.country ?? "not given"],
    ["Created", formatUtcMinute(Date.parse(t.createdAt))],
  ]);
}

/** `2,048 GPUs, hard`, or `2,048 GPUs, borrowable` for a quota that may be exceeded on idle GPUs. */
function quota(t: TenantWire): string {
  if (t.quotaGpus === null) return "none";
  return `${formatInt(t.quotaGpus)} GPUs, ${t.quotaMode === "borrowable" ? "borrowable" : "hard"}`;
}
