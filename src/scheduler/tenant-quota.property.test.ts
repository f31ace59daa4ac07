// Tenant quotas on random facilities, policies, running sets and queues: a hard quota is never exceeded;
// a borrowable one is exceeded only on GPUs that no job within its own tenant's quota and its tier's
// guarantee could have used, and what it holds above its quota is taken back when such a job needs it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Situation, situationArb } from "../../test/support/arbitraries.ts";
import {
  allUpGpus,
  expectNoFitWithAnyVictim,
  gpusOf,
  holdersAfter,
  passOver,
  setUsable,
} from "../../test/support/pass-checks.ts";
import type { Decisions } from "./decisions.ts";
import { EligibilityCache } from "./eligibility.ts";
import { resolvePolicy } from "./policy-limits.ts";
import { totalGpus } from "./request.ts";
import { minRuntimeS } from "./victim-order.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

/** A job and the site it holds GPUs at. */
type Placed = { siteId: string; job: { tenantId: string } };

/** The pass read against its policy: GPUs held per tenant and tier at facility-operated sites. */
function accountsOf(s: Situation, d: Decisions) {
  const cf = s.compiled;
  const limits = resolvePolicy(s.policy, cf.facilityGpus);
  const facilitySite = new Set(cf.sites.filter((_, k) => cf.siteOwner[k] === null).map((x) => x.id));
  const tierOf = (tenantId: string) => limits.tierIndex.get(limits.tenants.get(tenantId)?.tierId ?? "") ?? -1;
  const counted = (h: Placed) => facilitySite.has(h.siteId) && tierOf(h.job.tenantId) >= 0;
  const holders = holdersAfter(s, d);
  const tenantUsed = new Map<string, number>();
  const tierUsed = s.policy.tiers.map(() => 0);
  for (const h of holders.filter(counted)) {
    tenantUsed.set(h.job.tenantId, (tenantUsed.get(h.job.tenantId) ?? 0) + gpusOf(h.nodes));
    tierUsed[tierOf(h.job.tenantId)]! += gpusOf(h.nodes);
  }
  return { limits, holders, tenantUsed, tierUsed, tierOf, counted };
}

/**
 * The starts that took their tenant past a borrowable quota, replayed in the order the pass made them:
 * each start's tenant holds what its running jobs held, less jobs preempted so far, plus earlier starts.
 */
function quotaBorrowingStarts(s: Situation, d: Decisions, counted: (h: Placed) => boolean): Set<string> {
  const cf = s.compiled;
  const limits = resolvePolicy(s.policy, cf.facilityGpus);
  const running = new Map(s.running.map((r) => [r.job.id, { job: r.job, ...r.allocation }]));
  const used = new Map<string, number>();
  const add = (tenantId: string, gpus: number) => used.set(tenantId, (used.get(tenantId) ?? 0) + gpus);
  for (const r of running.values()) if (counted({ ...r })) add(r.job.tenantId, gpusOf(r.nodes));
  const jobs = new Map(s.queue.map((j) => [j.id, j]));
  const out = new Set<string>();
  for (const st of d.start) {
    for (const v of st.preempted) {
      const r = running.get(v)!;
      if (counted({ ...r })) add(r.job.tenantId, -gpusOf(r.nodes));
    }
    const job = jobs.get(st.jobId)!;
    if (!counted({ job, ...st.allocation })) continue;
    const gpus = gpusOf(st.allocation.nodes);
    const quota = limits.borrowableQuotaGpus.get(job.tenantId);
    if (quota !== undefined && (used.get(job.tenantId) ?? 0) + gpus > quota) out.add(st.jobId);
    add(job.tenantId, gpus);
  }
  return out;
}

describe("tenant quotas (property-based)", () => {
  it("never starts a job that takes its tenant past a hard quota", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const { tenantUsed, counted } = accountsOf(s, d);
        const jobs = new Map(s.queue.map((j) => [j.id, j]));
        for (const st of d.start) {
          const job = jobs.get(st.jobId)!;
          const tenant = s.policy.tenants.find((t) => t.id === job.tenantId);
          if (!tenant || tenant.quotaGpus === null || tenant.quotaMode === "borrowable") continue;
          if (!counted({ job, ...st.allocation })) continue;
          // Starts only add GPUs and preemptions only take them away, so the end is the most it held
          // after any start.
          expect(
            tenantUsed.get(tenant.id) ?? 0,
            `tenant ${tenant.id} past its hard quota`,
          ).toBeLessThanOrEqual(tenant.quotaGpus);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("exceeds a borrowable quota only on GPUs no job within its quota and guarantee could use, and takes the excess back", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const { limits, holders, tenantUsed, tierUsed, tierOf, counted } = accountsOf(s, d);
        const borrowedNow = quotaBorrowingStarts(s, d, counted);
        const startedNow = new Set(d.start.map((x) => x.jobId));
        // What a waiting job could have had: GPUs free at the end and those quota borrowers took. GPUs
        // preemption freed for later jobs, and reserved GPUs, never count.
        const base = allUpGpus(s);
        for (const h of holders) if (!borrowedNow.has(h.job.id)) setUsable(s, base, h.nodes, false);
        const preempted = new Set(d.preempt.map((p) => p.jobId));
        for (const r of s.running) if (preempted.has(r.job.id)) setUsable(s, base, r.allocation.nodes, false);
        for (const r of d.reservations) setUsable(s, base, r.allocation.nodes, false);
        // Running jobs above a borrowable quota, old enough to preempt, one by one: their tenant stays at
        // its quota without them.
        const runningUsed = new Map<string, number>();
        for (const h of holders)
          if (counted(h) && !startedNow.has(h.job.id))
            runningUsed.set(h.job.tenantId, (runningUsed.get(h.job.tenantId) ?? 0) + gpusOf(h.nodes));
        const startedAtMs = new Map(s.running.map((r) => [r.job.id, r.startedAtMs]));
        const oldEnoughByMs = s.nowMs - minRuntimeS(s.policy) * 1000;
        const aboveQuota = holders.filter((h) => {
          const quota = limits.borrowableQuotaGpus.get(h.job.tenantId);
          if (quota === undefined || startedNow.has(h.job.id) || !counted(h)) return false;
          if (startedAtMs.get(h.job.id)! > oldEnoughByMs) return false;
          return runningUsed.get(h.job.tenantId)! - gpusOf(h.nodes) >= quota;
        });
        const eligibility = new EligibilityCache(s.compiled);
        const jobs = new Map(s.queue.map((j) => [j.id, j]));
        for (const w of d.waiting) {
          if (w.reason.kind !== "reserved" && w.reason.kind !== "no-room") continue;
          const job = jobs.get(w.jobId)!;
          const t = tierOf(job.tenantId);
          if (t < 0) continue;
          const gpus = totalGpus(job.shape);
          if (tierUsed[t]! + gpus > limits.guaranteedGpus[t]!) continue;
          const quota = limits.tenants.get(job.tenantId)!.quotaGpus;
          if (quota !== null && (tenantUsed.get(job.tenantId) ?? 0) + gpus > quota) continue;
          const victims = s.policy.tiers[t]!.reclaimByPreemption ? [null, ...aboveQuota] : [null];
          expectNoFitWithAnyVictim(s, d, job, base, victims, eligibility, "idle GPUs a quota borrower took");
        }
      }),
      { numRuns: RUNS },
    );
  });
});
