// Which tenant submits a synthetic job. Each job class says how its jobs split over the policy's tiers by
// position — the first tier (in the default policy: national), the middle tiers (nordic-european) and the
// last (global) — and a tenant of the drawn tier is picked uniformly. Tenants whose quota is smaller than
// the job are passed over: a job its tenant may never run only adds noise to a workload.
import type { Tenant, Tier } from "../model/types.ts";
import type { Rng } from "./prng.ts";

/** Relative share of a class's jobs for the first, the middle and the last tier. */
export interface TierShares {
  first: number;
  middle: number;
  last: number;
}

type Position = keyof TierShares;
const POSITIONS: readonly Position[] = ["first", "middle", "last"];

export type TenantChooser = (rng: Rng, shares: TierShares, gpus: number) => Tenant;

/** Throws if there is no tenant or a tenant names a tier that is not listed. */
export function tenantChooser(tenants: readonly Tenant[], tiers: readonly Tier[]): TenantChooser {
  if (tenants.length === 0) throw new Error("a synthetic workload needs at least one tenant");
  const positionOf = new Map<string, Position>();
  tiers.forEach((tier, i) => {
    positionOf.set(tier.id, i === 0 ? "first" : i === tiers.length - 1 ? "last" : "middle");
  });
  // Sorted by id, so the workload does not depend on the order the policy lists its tenants in.
  const sorted = [...tenants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups: Record<Position, Tenant[]> = { first: [], middle: [], last: [] };
  for (const t of sorted) {
    const position = positionOf.get(t.tierId);
    if (position === undefined) throw new Error(`tenant ${t.id} is in tier ${t.tierId}, which is not listed`);
    groups[position].push(t);
  }
  const fits = (t: Tenant, gpus: number) => t.quotaGpus === null || t.quotaGpus >= gpus;

  return (rng, shares, gpus) => {
    const options: [Tenant[], number][] = [];
    for (const p of POSITIONS) {
      const able = groups[p].filter((t) => fits(t, gpus));
      if (able.length > 0 && shares[p] > 0) options.push([able, shares[p]]);
    }
    // No tier with a share has a tenant that may run the job: fall back to any tenant whose quota allows
    // it, else to any tenant at all (the job then shows up as one its tenant's quota blocks).
    if (options.length === 0) {
      const able = sorted.filter((t) => fits(t, gpus));
      return rng.pick(able.length > 0 ? able : sorted);
    }
    return rng.pick(rng.weighted(options));
  };
}
