// A deliberately simple scheduler to put the real pass's time in perspective: FIFO by submission time,
// first fit by scanning nodes in physical order, all-or-nothing per job. No tiers, quotas, fair share,
// topology, reservations or preemption, and no index beyond one free-GPU counter per group of nodes of
// one site and GPU model (so a job larger than what is free there is turned away without a scan, as any
// real scheduler would).
//
// It does honour the hard rules — site ownership, residency, latency, GPU model — so it places jobs only
// where they may legally go, and it examines every queued job (a blocked job does not stop the ones
// behind it), as the real pass does. It is a yardstick, not a scheduler to use: it fragments NVLink
// domains freely and lets big gangs starve.

import { totalGpus } from "../src/model/job-shape.ts";
import type { Allocation, Job, Site } from "../src/model/types.ts";
import { popcount } from "../src/scheduler/occupancy.ts";
import { lowestBits } from "../src/scheduler/placement.ts";
import type { SchedulingInput } from "../src/scheduler/schedule.ts";

export interface FifoOutcome {
  start: { jobId: string; allocation: Allocation }[];
  waiting: string[];
}

export function fifoFirstFit(input: SchedulingInput): FifoOutcome {
  const cf = input.facility;
  const n = cf.nodeIds.length;
  const free = new Uint32Array(n);
  // Nodes of one site and node type, in physical order: a job never mixes sites or GPU models.
  const groupNodes: number[][] = cf.pools.map(() => []);
  const groupFree = new Array<number>(cf.pools.length).fill(0);
  for (let i = 0; i < n; i++) {
    const g = cf.nodePool[i]!;
    groupNodes[g]!.push(i);
    if (cf.nodeUp[i] !== 1) continue;
    free[i] = cf.nodeGpus[i]! >= 32 ? 0xffffffff : ((1 << cf.nodeGpus[i]!) - 1) >>> 0;
    groupFree[g]! += cf.nodeGpus[i]!;
  }
  for (const r of input.running) {
    for (const a of r.allocation.nodes) {
      const i = cf.nodeIndexById.get(a.nodeId)!;
      for (const g of a.gpus) free[i] = (free[i]! & ~(1 << g)) >>> 0;
      groupFree[cf.nodePool[i]!]! -= a.gpus.length;
    }
  }

  const queue = [...input.queue].sort(
    (a, b) => a.submittedAtMs - b.submittedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const out: FifoOutcome = { start: [], waiting: [] };
  for (const job of queue) {
    const gpus = totalGpus(job.shape);
    const notYet = job.notBeforeAtMs !== null && job.notBeforeAtMs > input.nowMs;
    let placed = false;
    for (let g = 0; g < cf.pools.length && !placed && !notYet; g++) {
      const pool = cf.pools[g]!;
      if (gpus > groupFree[g]!) continue;
      if (job.gpuModels && !job.gpuModels.includes(pool.nodeType.gpuModel)) continue;
      if (!siteAllows(cf.sites[pool.siteIndex]!, cf.siteOwner[pool.siteIndex]!, job)) continue;
      const picked = firstFit(job, groupNodes[g]!, free);
      if (!picked) continue;
      for (const [i, mask] of picked) free[i] = (free[i]! & ~mask) >>> 0;
      groupFree[g]! -= gpus;
      out.start.push({
        jobId: job.id,
        allocation: {
          siteId: cf.sites[pool.siteIndex]!.id,
          nodes: picked.map(([i, mask]) => ({ nodeId: cf.nodeIds[i]!, gpus: bits(mask) })),
        },
      });
      placed = true;
    }
    if (!placed) out.waiting.push(job.id);
  }
  return out;
}

function siteAllows(site: Site, owner: string | null, job: Job): boolean {
  if (owner !== null && owner !== job.tenantId) return false;
  if (job.residency && !site.jurisdictions.some((j) => job.residency!.includes(j))) return false;
  if (job.maxLatency) {
    const ms = site.latencyMs[job.maxLatency.region];
    if (ms === undefined || ms > job.maxLatency.ms) return false;
  }
  return true;
}

/**
 * First fit over nodes in order: a gang takes the first nodes with enough free GPUs each; a plain
 * request takes free GPUs node by node until it has enough. Null if it cannot fit.
 */
function firstFit(job: Job, nodes: readonly number[], free: Uint32Array): [number, number][] | null {
  const shape = job.shape;
  // The naive baseline takes a share of a GPU as a whole GPU.
  const want = shape.kind === "gang" ? shape.nodes : Math.ceil(totalGpus(shape));
  let got = 0;
  const picked: [number, number][] = [];
  for (const i of nodes) {
    const m = free[i]!;
    if (m === 0) continue;
    if (shape.kind === "gang") {
      if (popcount(m) < shape.gpusPerNode) continue;
      picked.push([i, lowestBits(m, shape.gpusPerNode)]);
      got++;
    } else {
      const take = Math.min(popcount(m), want - got);
      picked.push([i, lowestBits(m, take)]);
      got += take;
    }
    if (got === want) return picked;
  }
  return null;
}

function bits(mask: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < 32; g++) if (mask & (1 << g)) out.push(g);
  return out;
}
