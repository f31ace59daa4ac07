// Invariants of a scheduling pass over random facilities, policies, running jobs and queues.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Situation, situationArb } from "../../test/support/arbitraries.ts";
import type { Job } from "../model/types.ts";
import type { Decisions } from "./decisions.ts";
import { EligibilityCache, siteAllows } from "./eligibility.ts";
import { fitsNodes, fullMaskOf } from "./placement.ts";
import { resolvePolicy } from "./policy-limits.ts";
import { BLOCK, DOMAIN, largestNodeGpus, requestFor, totalGpus } from "./request.ts";
import { schedule } from "./schedule.ts";
import { minRuntimeS } from "./victim-order.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

function pass(s: Situation, queue: Job[] = s.queue): Decisions {
  return schedule({
    facility: s.compiled,
    policy: s.policy,
    queue,
    running: s.running,
    usage: s.usage,
    nowMs: s.nowMs,
  });
}

/** GPUs held after the pass (running minus preempted, plus starts), with each holder's limit end. */
function holdersAfter(s: Situation, d: Decisions) {
  const preempted = new Set(d.preempt.map((p) => p.jobId));
  const jobs = new Map([...s.queue, ...s.running.map((r) => r.job)].map((j) => [j.id, j]));
  const out: {
    job: Job;
    siteId: string;
    nodes: { nodeId: string; gpus: number[] }[];
    limitEndAtMs: number;
  }[] = [];
  for (const r of s.running)
    if (!preempted.has(r.job.id))
      out.push({ job: r.job, ...r.allocation, limitEndAtMs: r.startedAtMs + r.job.limitS * 1000 });
  for (const st of d.start) {
    const job = jobs.get(st.jobId)!;
    out.push({ job, ...st.allocation, limitEndAtMs: s.nowMs + job.limitS * 1000 });
  }
  return out;
}

const gpuKey = (nodeId: string, g: number) => `${nodeId}#${g}`;

/** The largest node among the pools a job may use, as admission computes it. */
function largestAllowedNode(s: Situation, job: Job, eligibility: EligibilityCache): number {
  const e = eligibility.of(job);
  return largestNodeGpus([...e.own, ...e.facility].map((p) => s.compiled.pools[p]!));
}

describe("scheduling invariants (property-based)", () => {
  it("never gives one GPU to two jobs", () => {
    fc.assert(
      fc.property(situationArb, (s) => {
        const d = pass(s);
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
        const d = pass(s);
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
        const d = pass(s);
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
        const d = pass(s);
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
        const d = pass(s);
        const cf = s.compiled;
        const limits = resolvePolicy(s.policy, cf.facilityGpus);
        const holders = holdersAfter(s, d);
        const tierOf = (tenantId: string) =>
          limits.tierIndex.get(limits.tenants.get(tenantId)?.tierId ?? "") ?? -1;
        const facilitySite = new Set(cf.sites.filter((_, k) => cf.siteOwner[k] === null).map((x) => x.id));
        const gpusOf = (nodes: { gpus: number[] }[]) => nodes.reduce((a, n) => a + n.gpus.length, 0);
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
        const base = new Map<number, number>();
        for (let i = 0; i < cf.nodeIds.length; i++)
          base.set(i, cf.nodeUp[i] ? fullMaskOf(cf.nodeGpus[i]!) : 0);
        const clear = (nodes: { nodeId: string; gpus: number[] }[]) => {
          for (const n of nodes) {
            const i = cf.nodeIndexById.get(n.nodeId)!;
            for (const g of n.gpus) base.set(i, base.get(i)! & ~(1 << g));
          }
        };
        for (const h of holders) if (!borrowedNow.has(h.job.id)) clear(h.nodes);
        const preempted = new Set(d.preempt.map((p) => p.jobId));
        for (const r of s.running) if (preempted.has(r.job.id)) clear(r.allocation.nodes);
        for (const r of d.reservations) clear(r.allocation.nodes);
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
          for (const victim of victims) {
            const usable = new Map(base);
            for (const n of victim?.nodes ?? []) {
              const i = cf.nodeIndexById.get(n.nodeId)!;
              for (const g of n.gpus) usable.set(i, usable.get(i)! | (1 << g));
            }
            for (const r of d.reservations) {
              for (const n of r.allocation.nodes) {
                const i = cf.nodeIndexById.get(n.nodeId)!;
                for (const g of n.gpus) usable.set(i, usable.get(i)! & ~(1 << g));
              }
            }
            for (const p of eligibility.of(job).facility) {
              const pool = cf.pools[p]!;
              const req = requestFor(job.shape, job.topology, pool, largestAllowedNode(s, job, eligibility));
              if (!req) continue;
              const units =
                req.level === DOMAIN
                  ? pool.domains.map((x) => cf.domainNodes[x]!)
                  : req.level === BLOCK
                    ? pool.blocks.map((b) => [...cf.blockDomains[b]!].flatMap((x) => [...cf.domainNodes[x]!]))
                    : [pool.domains.flatMap((x) => [...cf.domainNodes[x]!])];
              for (const nodes of units)
                expect(
                  fitsNodes(nodes, fullMaskOf(pool.gpusPerNode), req, (i) => usable.get(i)!),
                  `job ${job.id} waits though free and borrowed GPUs would hold it (victim ${victim?.job.id ?? "none"})`,
                ).toBe(false);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decides the same for the same input, whatever order the queue arrives in", () => {
    fc.assert(
      fc.property(situationArb, fc.integer(), (s, seed) => {
        const a = pass(s);
        expect(pass(s)).toEqual(a);
        const shuffled = [...s.queue].sort(
          (x, y) => (hash(x.id, seed) - hash(y.id, seed)) | 0 || (x.id < y.id ? -1 : 1),
        );
        const b = pass(s, shuffled);
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
