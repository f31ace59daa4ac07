// Which pools a job may ever run in: residency, latency, site ownership and GPU model. These rules are
// law and contract, so they are checked here, once, and placement only ever sees eligible pools.
import { ownValue } from "../model/own-value.ts";
import type { Job } from "../model/types.ts";
import type { CompiledFacility } from "./compile-facility.ts";

export interface Eligibility {
  /** Pools at the tenant's own sites, in facility order: tried first, outside tier accounting. */
  own: number[];
  /** Pools at facility-operated sites, in facility order. */
  facility: number[];
  /** Why no pool qualifies, when none does. */
  problem: string | null;
}

/** Caches eligibility by the fields that decide it: many jobs share them. */
export class EligibilityCache {
  private readonly cache = new Map<string, Eligibility>();
  /** Tenants that own sites: only for them does the tenant change which pools a job may use. */
  private readonly owners: Set<string>;

  constructor(private readonly cf: CompiledFacility) {
    this.owners = new Set(cf.siteOwner.filter((o): o is string => o !== null));
  }

  /**
   * The fields that decide eligibility, as one string. The tenant counts only where it owns a site, so
   * the jobs of every other tenant share their eligibility (and the placement requests made from it).
   */
  key(job: Job): string {
    const latency = job.maxLatency === null ? "*" : `${job.maxLatency.region}<${job.maxLatency.ms}`;
    const tenant = this.owners.has(job.tenantId) ? job.tenantId : "";
    return `${tenant}|${listKey(job.residency)}|${latency}|${listKey(job.gpuModels)}`;
  }

  of(job: Job, key = this.key(job)): Eligibility {
    let e = this.cache.get(key);
    if (!e) {
      e = computeEligibility(this.cf, job);
      this.cache.set(key, e);
    }
    return e;
  }
}

function listKey(list: string[] | null): string {
  if (list === null) return "*";
  return list.length === 1 ? list[0]! : list.join(",");
}

export function siteAllows(cf: CompiledFacility, siteIndex: number, job: Job): string | null {
  const site = cf.sites[siteIndex]!;
  const owner = cf.siteOwner[siteIndex];
  if (owner !== null && owner !== job.tenantId) return `site ${site.id} belongs to tenant ${owner}`;
  if (job.residency && !site.jurisdictions.some((j) => job.residency!.includes(j)))
    return `site ${site.id} (${site.jurisdictions.join(", ")}) is outside residency ${job.residency.join(", ")}`;
  if (job.maxLatency) {
    // The region is the job's free text: one named like a built-in property is a region no site names.
    const ms = ownValue(site.latencyMs, job.maxLatency.region);
    if (ms === undefined) return `site ${site.id} has no latency figure for region ${job.maxLatency.region}`;
    if (ms > job.maxLatency.ms)
      return `site ${site.id} is ${ms} ms from ${job.maxLatency.region}, over the ${job.maxLatency.ms} ms bound`;
  }
  return null;
}

function computeEligibility(cf: CompiledFacility, job: Job): Eligibility {
  const own: number[] = [];
  const facility: number[] = [];
  const siteProblems = cf.sites.map((_, s) => siteAllows(cf, s, job));
  for (const pool of cf.pools) {
    if (siteProblems[pool.siteIndex] !== null) continue;
    if (job.gpuModels && !job.gpuModels.includes(pool.nodeType.gpuModel)) continue;
    (cf.siteOwner[pool.siteIndex] === null ? facility : own).push(pool.index);
  }
  let problem: string | null = null;
  if (own.length === 0 && facility.length === 0) {
    const allowedSites = cf.sites.filter((_, s) => siteProblems[s] === null);
    if (allowedSites.length === 0) problem = siteProblems.filter((p) => p !== null).join("; ");
    else
      problem = `no allowed site (${allowedSites.map((s) => s.id).join(", ")}) has GPU model ${job.gpuModels!.join(" or ")}`;
  }
  return { own, facility, problem };
}
