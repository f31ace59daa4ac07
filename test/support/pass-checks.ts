// What the property tests of a pass ask of its outcome: who holds which GPUs afterwards, and whether a
// waiting job would fit on a given set of usable GPUs anywhere it may run.
import { expect } from "vitest";
import type { Job } from "../../src/model/types.ts";
import type { Decisions } from "../../src/scheduler/decisions.ts";
import { EligibilityCache } from "../../src/scheduler/eligibility.ts";
import { fitsNodes, fullMaskOf } from "../../src/scheduler/placement.ts";
import { BLOCK, DOMAIN, largestNodeGpus, requestFor } from "../../src/scheduler/request.ts";
import { schedule } from "../../src/scheduler/schedule.ts";
import type { Situation } from "./arbitraries.ts";

/** One pass of the pure scheduler over the situation (or over another queue in it). */
export function passOver(s: Situation, queue: Job[] = s.queue): Decisions {
  return schedule({
    facility: s.compiled,
    policy: s.policy,
    queue,
    running: s.running,
    usage: s.usage,
    nowMs: s.nowMs,
  });
}

export interface HeldNodes {
  nodeId: string;
  gpus: number[];
}

export interface Holder {
  job: Job;
  siteId: string;
  nodes: HeldNodes[];
  limitEndAtMs: number;
}

/** GPUs held after the pass (running minus preempted, plus starts), with each holder's limit end. */
export function holdersAfter(s: Situation, d: Decisions): Holder[] {
  const preempted = new Set(d.preempt.map((p) => p.jobId));
  const jobs = new Map([...s.queue, ...s.running.map((r) => r.job)].map((j) => [j.id, j]));
  const out: Holder[] = [];
  for (const r of s.running)
    if (!preempted.has(r.job.id))
      out.push({ job: r.job, ...r.allocation, limitEndAtMs: r.startedAtMs + r.job.limitS * 1000 });
  for (const st of d.start) {
    const job = jobs.get(st.jobId)!;
    out.push({ job, ...st.allocation, limitEndAtMs: s.nowMs + job.limitS * 1000 });
  }
  return out;
}

export const gpuKey = (nodeId: string, g: number) => `${nodeId}#${g}`;

export const gpusOf = (nodes: readonly HeldNodes[]) => nodes.reduce((a, n) => a + n.gpus.length, 0);

/** The largest node among the pools a job may use, as admission computes it. */
export function largestAllowedNode(s: Situation, job: Job, eligibility: EligibilityCache): number {
  const e = eligibility.of(job);
  return largestNodeGpus([...e.own, ...e.facility].map((p) => s.compiled.pools[p]!));
}

/** Usable GPUs as a bit mask per node index: every GPU of the nodes that are up. */
export function allUpGpus(s: Situation): Map<number, number> {
  const cf = s.compiled;
  const masks = new Map<number, number>();
  for (let i = 0; i < cf.nodeIds.length; i++) masks.set(i, cf.nodeUp[i] ? fullMaskOf(cf.nodeGpus[i]!) : 0);
  return masks;
}

/** Marks the GPUs of `nodes` usable (`usable` true) or not, in place. */
export function setUsable(
  s: Situation,
  masks: Map<number, number>,
  nodes: readonly HeldNodes[],
  usable: boolean,
) {
  for (const n of nodes) {
    const i = s.compiled.nodeIndexById.get(n.nodeId)!;
    for (const g of n.gpus) masks.set(i, usable ? masks.get(i)! | (1 << g) : masks.get(i)! & ~(1 << g));
  }
}

/** Whether the job would fit on the usable GPUs of some facility-operated pool it may use. */
export function fitsAtFacility(
  s: Situation,
  job: Job,
  usable: Map<number, number>,
  eligibility = new EligibilityCache(s.compiled),
): boolean {
  const cf = s.compiled;
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
      if (fitsNodes(nodes, fullMaskOf(pool.gpusPerNode), req, (i) => usable.get(i)!)) return true;
  }
  return false;
}

/**
 * Checks that the waiting job fits nowhere on `base`, nor on `base` plus any one of the victims, always
 * leaving out the pass's reservations. `why` names what the GPUs it would have had are.
 */
export function expectNoFitWithAnyVictim(
  s: Situation,
  d: Decisions,
  job: Job,
  base: Map<number, number>,
  victims: readonly ({ job: Job; nodes: HeldNodes[] } | null)[],
  eligibility: EligibilityCache,
  why: string,
): void {
  for (const victim of victims) {
    const usable = new Map(base);
    setUsable(s, usable, victim?.nodes ?? [], true);
    for (const r of d.reservations) setUsable(s, usable, r.allocation.nodes, false);
    expect(
      fitsAtFacility(s, job, usable, eligibility),
      `job ${job.id} waits though ${why} would hold it (victim ${victim?.job.id ?? "none"})`,
    ).toBe(false);
  }
}
