// Which tenant a trace task belongs to. The Alibaba trace has no tenants, so a replay maps each task's QoS
// class to one of Fjord's tiers and then picks a tenant of that tier by a seeded hash of the task's name:
// the same task always lands on the same tenant, whatever else is in the file or the order tenants are
// listed in, and a different seed gives a different but equally stable assignment.
import type { Tenant } from "../model/types.ts";
import type { AlibabaQos } from "./alibaba-pod-rows.ts";
import { hashString } from "./hash.ts";

/**
 * Latency-sensitive services stand for the national tier's production work, Guaranteed pods for paying
 * European customers, Burstable and best-effort pods for the global tier's use of surplus capacity.
 */
export const DEFAULT_TIER_OF_QOS: Readonly<Record<AlibabaQos, string>> = {
  LS: "national",
  Guaranteed: "nordic-european",
  Burstable: "global",
  BE: "global",
};

/** QoS class → a tier id, or several: the task's tenant is then picked among all of their tenants. */
export type TierOfQos = Readonly<Record<AlibabaQos, string | readonly string[]>>;

export type TenantPicker = (taskName: string, qos: AlibabaQos) => string;

/** Tenants of the QoS class's tiers, or every tenant when those have none; throws if there are no tenants. */
export function qosTenantPicker(
  tenants: readonly Tenant[],
  seed: number,
  tierOfQos: TierOfQos = DEFAULT_TIER_OF_QOS,
): TenantPicker {
  if (tenants.length === 0) throw new Error("mapping trace tasks to tenants needs at least one tenant");
  const byId = [...tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const candidates = new Map<string, readonly Tenant[]>();
  const candidatesOf = (qos: AlibabaQos): readonly Tenant[] => {
    let list = candidates.get(qos);
    if (list === undefined) {
      const tiers = tierOfQos[qos];
      const ofTier = byId.filter((t) =>
        typeof tiers === "string" ? t.tierId === tiers : tiers.includes(t.tierId),
      );
      list = ofTier.length > 0 ? ofTier : byId;
      candidates.set(qos, list);
    }
    return list;
  };
  return (taskName, qos) => {
    const list = candidatesOf(qos);
    return list[hashString(seed, taskName) % list.length]!.id;
  };
}
