// Invariants of a scheduling pass over random facilities, policies, running jobs and queues.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { situationArb } from "../../test/support/arbitraries.ts";
import {
  allUpGpus,
  expectNoFitWithAnyVictim,
  gpuKey,
  gpusOf,
  holdersAfter,
  largestAllowedNode,
  passOver,
  setUsable,
} from "../../test/support/pass-checks.ts";
import { EligibilityCache, siteAllows } from "./eligibility.ts";
import { resolvePolicy } from "./policy-limits.ts";
import { BLOCK, DOMAIN, requestFor, totalGpus } from "./request.ts";
import { minRuntimeS } from "./victim-order.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

describe("scheduling invariants (property-based)", () => {
  it("never gives one GPU to two jobs", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const seen = new Set<string>();
        for (const h of holdersAfter(s, d))
          for (const n of h.nodes)
            for (const g of n.gpus) {
              const k = gpuKey(n.nodeId, g);
              expect(seen.has(k), `GPU ${k} given twice`).toBe(false);
              seen.add(k);
            }
      }),
      { numRuns: RUNS },
    );
  });

  it("gives every started job exactly the GPUs it asked for, on an allowed site, in its topology", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const cf = s.compiled;
        const jobs = new Map(s.queue.map((j) => [j.id, j]));
        for (const st of d.start) {
          const job = jobs.get(st.jobId)!;
          const siteIndex = cf.sites.findIndex((x) => x.id === st.allocation.siteId);
          expect(siteAllows(cf, siteIndex, job), "residency, latency or ownership").toBeNull();
          const nodes = st.allocation.nodes.map((n) => cf.nodeIndexById.get(n.nodeId)!);
          const pool = cf.pools[cf.nodePool[nodes[0]!]!]!;
          expect(nodes.every((i) => cf.nodePool[i] === pool.index)).toBe(true);
          if (job.gpuModels) expect(job.gpuModels).toContain(pool.nodeType.gpuModel);
          expect(st.allocation.nodes.reduce((a, n) => a + n.gpus.length, 0)).toBe(totalGpus(job.shape));
          if (job.shape.kind === "gang") {
            expect(new Set(st.allocation.nodes.map((n) => n.nodeId)).size).toBe(job.shape.nodes);
            for (const n of st.allocation.nodes) expect(n.gpus).toHaveLength(job.shape.gpusPerNode);
          }
          const largest = largestAllowedNode(s, job, new EligibilityCache(cf));
          const req = requestFor(job.shape, job.topology, pool, largest)!;
          if (req.level === DOMAIN) expect(new Set(nodes.map((i) => cf.nodeDomain[i])).size).toBe(1);
          if (req.level === BLOCK) expect(new Set(nodes.map((i) => cf.nodeBlock[i])).size).toBe(1);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decides every queued job exactly once and preempts only running jobs", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const decided = [...d.start.map((x) => x.jobId), ...d.waiting.map((x) => x.jobId)].sort();
        expect(decided).toEqual(s.queue.map((j) => j.id).sort());
        const runningIds = new Set(s.running.map((r) => r.job.id));
        for (const p of d.preempt) expect(runningIds.has(p.jobId)).toBe(true);
        expect(new Set(d.preempt.map((p) => p.jobId)).size).toBe(d.preempt.length);
      }),
      { numRuns: RUNS },
    );
  });

  it("never lets backfill delay a reservation", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const limitOf = new Map(s.queue.map((j) => [j.id, j.limitS]));
        const holders = holdersAfter(s, d);
        const heldUntil = new Map<string, number>();
        for (const h of holders)
          for (const n of h.nodes) for (const g of n.gpus) heldUntil.set(gpuKey(n.nodeId, g), h.limitEndAtMs);
        const reservedSpans = new Map<string, [number, number][]>();
        for (const r of d.reservations) {
          expect(r.startAtMs).toBeGreaterThanOrEqual(s.nowMs);
          const end = r.startAtMs + limitOf.get(r.jobId)! * 1000;
          for (const n of r.allocation.nodes)
            for (const g of n.gpus) {
              const k = gpuKey(n.nodeId, g);
              // Whoever holds a reserved GPU must be gone, by its hard limit, when the reservation begins.
              expect(heldUntil.get(k) ?? 0).toBeLessThanOrEqual(r.startAtMs);
              for (const [a, b] of reservedSpans.get(k) ?? [])
                expect(end <= a || r.startAtMs >= b).toBe(true);
              reservedSpans.set(k, [...(reservedSpans.get(k) ?? []), [r.startAtMs, end]]);
            }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never leaves a tier below its guarantee waiting for GPUs another tier borrowed", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = passOver(s);
        const cf = s.compiled;
        const limits = resolvePolicy(s.policy, cf.facilityGpus);
        const holders = holdersAfter(s, d);
        const tierOf = (tenantId: string) =>
          limits.tierIndex.get(limits.tenants.get(tenantId)?.tierId ?? "") ?? -1;
        const facilitySite = new Set(cf.sites.filter((_, k) => cf.siteOwner[k] === null).map((x) => x.id));
        const startedNow = new Set(d.start.map((x) => x.jobId));
        const borrowedNow = new Set(d.start.filter((x) => x.borrowing).map((x) => x.jobId));
        const used = s.policy.tiers.map(() => 0);
        const usedByRunning = s.policy.tiers.map(() => 0);
        for (const h of holders) {
          const t = tierOf(h.job.tenantId);
          if (!facilitySite.has(h.siteId) || t < 0) continue;
          used[t]! += gpusOf(h.nodes);
          if (!startedNow.has(h.job.id)) usedByRunning[t]! += gpusOf(h.nodes);
        }
        // What the waiting job could have had when it was considered: GPUs free then (free at the end, less
        // those that preemption freed later) and those borrowers took after it. Reserved GPUs never count.
        const base = allUpGpus(s);
        for (const h of holders) if (!borrowedNow.has(h.job.id)) setUsable(s, base, h.nodes, false);
        const preempted = new Set(d.preempt.map((p) => p.jobId));
        for (const r of s.running) if (preempted.has(r.job.id)) setUsable(s, base, r.allocation.nodes, false);
        for (const r of d.reservations) setUsable(s, base, r.allocation.nodes, false);
        // Running jobs a reclaiming tier may take back one by one: their tier stays at its guarantee without
        // them, and they have run the minimum runtime (the thrash guard).
        const startedAtMs = new Map(s.running.map((r) => [r.job.id, r.startedAtMs]));
        const oldEnoughByMs = s.nowMs - minRuntimeS(s.policy) * 1000;
        const reclaimable = holders.filter((h) => {
          const t = tierOf(h.job.tenantId);
          if (startedNow.has(h.job.id) || !facilitySite.has(h.siteId) || t < 0) return false;
          if (startedAtMs.get(h.job.id)! > oldEnoughByMs) return false;
          return usedByRunning[t]! - gpusOf(h.nodes) >= limits.guaranteedGpus[t]!;
        });
        const eligibility = new EligibilityCache(cf);
        const jobs = new Map(s.queue.map((j) => [j.id, j]));
        for (const w of d.waiting) {
          if (w.reason.kind !== "reserved" && w.reason.kind !== "no-room") continue;
          const job = jobs.get(w.jobId)!;
          const t = tierOf(job.tenantId);
          if (used[t]! + totalGpus(job.shape) > limits.guaranteedGpus[t]!) continue;
          const victims = s.policy.tiers[t]!.reclaimByPreemption ? [null, ...reclaimable] : [null];
          expectNoFitWithAnyVictim(s, d, job, base, victims, eligibility, "free and borrowed GPUs");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decides the same for the same input, whatever order the queue arrives in", () => {
    fc.assert(
      fc.property(situationArb, fc.integer(), (s, seed) => {
        const a = passOver(s);
        expect(passOver(s)).toEqual(a);
        const shuffled = [...s.queue].sort(
          (x, y) => (hash(x.id, seed) - hash(y.id, seed)) | 0 || (x.id < y.id ? -1 : 1),
        );
        const b = passOver(s, shuffled);
        const byId = <T extends { jobId: string }>(xs: T[]) =>
          [...xs].sort((x, y) => (x.jobId < y.jobId ? -1 : 1));
        expect(byId(b.start)).toEqual(byId(a.start));
        expect(byId(b.waiting)).toEqual(byId(a.waiting));
        expect(b.preempt).toEqual(a.preempt);
      }),
      { numRuns: RUNS },
    );
  });
});

function hash(id: string, seed: number): number {
  let h = seed | 0;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x5bd1e995);
  return h;
}
