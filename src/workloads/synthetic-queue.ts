// Seeded synthetic workloads for benchmarks and load tests: a realistic mixed queue, and a busy facility
// made of jobs the scheduler itself placed. Pure: the same options give the same jobs on every machine
// (no Math.random, no clock, no I/O), so benchmark figures are comparable between runs and commits.
//
// The queue mimics a large AI facility: most jobs are small (1–8 GPUs: notebooks, evals, inference
// tests), a long tail are gangs of whole 4-GPU GB300 trays up to 1,024 nodes (4,096 GPUs), runtimes span
// minutes to days, and big jobs checkpoint. Residency is mostly [EEA], with Norway-only and Gulf-only
// minorities, so every site and every rule the scheduler checks is exercised.

import { totalGpus } from "../model/job-shape.ts";
import type { Job, JobShape, Policy, RunningJob, Tenant, TopologyRequirement } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import { schedule } from "../scheduler/schedule.ts";
import { mulberry32, type Rng } from "./prng.ts";

/** User regions named in facilities/stargate-norway.yaml's latencyMs. */
export const DEFAULT_LATENCY_REGIONS = ["no-north", "nordics", "eu-north", "eu-central", "uk", "gulf"];

export interface SyntheticQueueOptions {
  seed: number;
  count: number;
  /** Jobs are spread evenly over these tenants (and so over their tiers). */
  tenants: readonly Tenant[];
  nowMs: number;
  /** GPU models the facility offers; gangs ask for GB300 when offered, a few small jobs pin a model. */
  gpuModels?: readonly string[];
  /** Regions latency bounds refer to; default DEFAULT_LATENCY_REGIONS. */
  latencyRegions?: readonly string[];
  /** Job id prefix, so two synthetic sets can meet in one scheduler without clashing (default "syn"). */
  idPrefix?: string;
}

export type SizeClass = "small" | "medium" | "large" | "xl" | "huge";

/** Share of jobs per size class, in percent. ≥ 512 GPUs (xl + huge) is 4 %. */
const SIZE_CLASSES: readonly (readonly [SizeClass, number])[] = [
  ["small", 72], // 1–8 GPUs, packed
  ["medium", 18], // gangs of 2–16 nodes (8–64 GPUs)
  ["large", 6], // 17–127 nodes (68–508 GPUs)
  ["xl", 3.5], // 128–511 nodes (512–2,044 GPUs)
  ["huge", 0.5], // 512–1,024 nodes (2,048–4,096 GPUs)
];

const GANG_NODES: Record<Exclude<SizeClass, "small">, readonly [number, number]> = {
  medium: [2, 16],
  large: [17, 127],
  xl: [128, 511],
  huge: [512, 1024],
};

/** GB300 NVL72: 18 trays of 4 GPUs per rack. Big gangs often ask for whole racks. */
const TRAYS_PER_RACK = 18;
const GB300_GPUS_PER_NODE = 4;
const MIN_S = 60;
const HOUR_S = 3600;
const DAY_S = 86_400;

const RESIDENCY: readonly (readonly [readonly string[] | null, number])[] = [
  [["EEA"], 50],
  [["NO"], 12],
  [["GCC"], 8],
  [null, 30],
];

export function syntheticQueue(options: SyntheticQueueOptions): Job[] {
  const { seed, count, tenants, nowMs } = options;
  if (tenants.length === 0) throw new Error("syntheticQueue needs at least one tenant");
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a natural number, got ${count}`);
  const rng = mulberry32(seed);
  const models = options.gpuModels ?? ["GB300"];
  const regions = options.latencyRegions ?? DEFAULT_LATENCY_REGIONS;
  const prefix = options.idPrefix ?? "syn";
  const jobs: Job[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const tenant = rng.pick(tenants);
    const size = rng.weighted(SIZE_CLASSES);
    const shape = shapeOf(rng, size);
    const gpus = totalGpus(shape);
    const estimatedRuntimeS = runtimeOf(rng, size);
    // Users pad their limits: 1.2–2 × the estimate, rounded up to whole minutes.
    const limitS = Math.ceil((estimatedRuntimeS * (1.2 + 0.8 * rng.next())) / MIN_S) * MIN_S;
    const submittedAtMs = nowMs - rng.int(0, DAY_S) * 1000;
    const residency = rng.weighted(RESIDENCY);
    jobs[i] = {
      id: `${prefix}-${String(i).padStart(6, "0")}`,
      tenantId: tenant.id,
      name: `${size}-${gpus}gpu-${i}`,
      shape,
      gpuModels: modelsOf(rng, shape, models),
      estimatedRuntimeS,
      limitS,
      priority: rng.weighted([
        [0, 55],
        [1, 25],
        [2, 15],
        [3, 5],
      ]),
      residency: residency ? [...residency] : null,
      // A few interactive or inference-like jobs bound their latency to a user region.
      maxLatency: rng.chance(0.04) ? { region: rng.pick(regions), ms: rng.pick([10, 20, 40, 130]) } : null,
      checkpointIntervalS: checkpointOf(rng, gpus),
      notBeforeAtMs: rng.chance(0.02) ? nowMs + rng.int(10 * MIN_S, 12 * HOUR_S) * 1000 : null,
      deadlineAtMs: rng.chance(0.03) ? submittedAtMs + limitS * 3000 : null,
      topology: topologyOf(rng, size, gpus),
      labels: { synthetic: "true", class: size },
      submittedAtMs,
    };
  }
  return jobs;
}

function shapeOf(rng: Rng, size: SizeClass): JobShape {
  if (size === "small") {
    const gpus = rng.weighted([
      [1, 35],
      [2, 15],
      [4, 30],
      [8, 20],
    ]);
    return { kind: "gpus", gpus };
  }
  const [lo, hi] = GANG_NODES[size];
  let nodes = Math.min(hi, Math.floor(rng.logUniform(lo, hi + 1)));
  // Half the gangs of a rack or more ask for whole racks, when that stays inside the class.
  if (nodes >= TRAYS_PER_RACK && rng.chance(0.5)) {
    const racks = Math.round(nodes / TRAYS_PER_RACK) * TRAYS_PER_RACK;
    if (racks >= lo && racks <= hi) nodes = racks;
  }
  return { kind: "gang", nodes, gpusPerNode: GB300_GPUS_PER_NODE };
}

/** Bigger jobs run longer: pretraining for days, evals and notebooks for minutes to hours. */
function runtimeOf(rng: Rng, size: SizeClass): number {
  const [lo, hi] =
    size === "small" ? [5 * MIN_S, DAY_S] : size === "medium" ? [15 * MIN_S, 2 * DAY_S] : [HOUR_S, 7 * DAY_S];
  return Math.round(rng.logUniform(lo, hi) / MIN_S) * MIN_S;
}

function modelsOf(rng: Rng, shape: JobShape, models: readonly string[]): string[] | null {
  if (shape.kind === "gang") return models.includes("GB300") ? ["GB300"] : null;
  return models.length > 0 && rng.chance(0.1) ? [rng.pick(models)] : null;
}

/** Big jobs nearly always checkpoint (losing days of work to a preemption is not an option). */
function checkpointOf(rng: Rng, gpus: number): number | null {
  if (gpus >= 64) return rng.chance(0.9) ? rng.pick([15 * MIN_S, 30 * MIN_S, HOUR_S, 2 * HOUR_S]) : null;
  return rng.chance(0.25) ? rng.pick([10 * MIN_S, 30 * MIN_S, HOUR_S]) : null;
}

/** Mostly `auto`; some gangs pin a level they fit in (an NVL72 rack: 72 GPUs, a block: 32 racks). */
function topologyOf(rng: Rng, size: SizeClass, gpus: number): TopologyRequirement {
  if (size === "small") return "auto";
  if (size === "medium") return gpus <= 72 && rng.chance(0.15) ? "nvlink-domain" : "auto";
  return gpus <= 32 * 72 && rng.chance(0.2) ? "network-block" : "auto";
}

export interface SyntheticRunningOptions {
  seed: number;
  /** Jobs offered to the earlier pass; offer more than fit so the facility ends up busy. */
  count: number;
  facility: CompiledFacility;
  policy: Policy;
  nowMs: number;
  /** Longest any running job has been running (default 2 days). */
  maxAgeS?: number;
  /**
   * Share of the facility's up GPUs left held (default 0.9). The earlier pass packs the facility full; a
   * seeded random set of its jobs is then dropped, as if they had just finished, which leaves the
   * scattered holes a real facility has rather than one empty corner.
   */
  occupancy?: number;
  latencyRegions?: readonly string[];
}

/**
 * A busy facility whose allocations are real: a synthetic queue is scheduled once onto the empty facility
 * at `now − maxAge`, and its starts become running jobs, each started at a seeded time before `now` and
 * still inside its hard limit. Hand-made allocations would skip the scheduler's own packing and so
 * fragment the facility unlike anything it would produce.
 */
export function syntheticRunning(options: SyntheticRunningOptions): RunningJob[] {
  const { facility, policy, nowMs } = options;
  const maxAgeS = options.maxAgeS ?? 2 * DAY_S;
  const earlierAtMs = nowMs - maxAgeS * 1000;
  const queue = syntheticQueue({
    seed: options.seed,
    count: options.count,
    tenants: policy.tenants,
    nowMs: earlierAtMs,
    gpuModels: facility.gpuModels,
    latencyRegions: options.latencyRegions ?? DEFAULT_LATENCY_REGIONS,
    idPrefix: "run",
  });
  const first = schedule({ facility, policy, queue, running: [], usage: [], nowMs: earlierAtMs });
  const byId = new Map(queue.map((j) => [j.id, j]));
  // A separate stream for these draws, so they do not shift the queue's own.
  const rng = mulberry32((options.seed ^ 0x5bd1e995) >>> 0);
  const starts = [...first.start];
  for (let i = starts.length - 1; i > 0; i--) {
    const k = rng.int(0, i);
    [starts[i], starts[k]] = [starts[k]!, starts[i]!];
  }
  let upGpus = 0;
  for (let i = 0; i < facility.nodeIds.length; i++)
    if (facility.nodeUp[i] === 1) upGpus += facility.nodeGpus[i]!;
  const targetGpus = (options.occupancy ?? 0.9) * upGpus;
  let heldGpus = 0;
  const running: RunningJob[] = [];
  for (const s of starts) {
    const gpus = s.allocation.nodes.reduce((a, n) => a + n.gpus.length, 0);
    if (heldGpus + gpus > targetGpus) continue;
    heldGpus += gpus;
    const job = byId.get(s.jobId)!;
    // Started between `earlierAtMs` (after submission) and now, and not yet at its hard limit.
    const agoS = rng.int(0, Math.min(job.limitS - MIN_S, maxAgeS));
    running.push({ job, startedAtMs: nowMs - agoS * 1000, allocation: s.allocation });
  }
  return running.sort((a, b) => (a.job.id < b.job.id ? -1 : 1));
}
