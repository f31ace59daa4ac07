// Deferral at submission, as the simulator's input preparation and the live control plane apply it: the
// policy's deferral, if any, for a job that opted in, over the sites its residency, latency and site
// ownership allow. Every other job comes back as it was.
import type { Job, Policy } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import { siteAllows } from "../scheduler/eligibility.ts";
import { decideDeferral, optedIntoDeferral, withDeferral } from "./deferral-decision.ts";
import type { Signals } from "./signals.ts";

export function deferJob(job: Job, facility: CompiledFacility, policy: Policy, signals: Signals): Job {
  if (policy.deferral === undefined || !optedIntoDeferral(job)) return job;
  const allowedSiteIds = facility.sites.flatMap((site, s) =>
    siteAllows(facility, s, job) === null ? [site.id] : [],
  );
  return withDeferral(job, decideDeferral(job, allowedSiteIds, signals, policy.deferral));
}
