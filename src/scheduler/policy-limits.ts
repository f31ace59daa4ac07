// A policy's tiers and tenants resolved to GPU counts for one facility.
import type { GpuQuantity, Policy, Tenant } from "../model/types.ts";

export interface PolicyLimits {
  tierIndex: Map<string, number>;
  tenants: Map<string, Tenant>;
  /** Position of each tenant in the policy, for per-tenant figures kept in arrays. */
  tenantIndex: Map<string, number>;
  guaranteedGpus: number[];
  /** GPUs a tier may hold above its guarantee (Infinity = no limit). */
  borrowingLimitGpus: number[];
  /** Quota of each tenant whose quota is borrowable: GPUs it holds above it may be taken back. */
  borrowableQuotaGpus: Map<string, number>;
}

export function gpusOf(q: GpuQuantity, facilityGpus: number): number {
  return "gpus" in q ? q.gpus : Math.floor(q.share * facilityGpus);
}

export function resolvePolicy(policy: Policy, facilityGpus: number): PolicyLimits {
  return {
    tierIndex: new Map(policy.tiers.map((t, i) => [t.id, i])),
    tenants: new Map(policy.tenants.map((t) => [t.id, t])),
    tenantIndex: new Map(policy.tenants.map((t, k) => [t.id, k])),
    guaranteedGpus: policy.tiers.map((t) => gpusOf(t.guaranteed, facilityGpus)),
    borrowingLimitGpus: policy.tiers.map((t) =>
      t.borrowingLimit === null ? Number.POSITIVE_INFINITY : gpusOf(t.borrowingLimit, facilityGpus),
    ),
    borrowableQuotaGpus: new Map(
      policy.tenants.flatMap((t) =>
        t.quotaMode === "borrowable" && t.quotaGpus !== null ? [[t.id, t.quotaGpus] as const] : [],
      ),
    ),
  };
}
