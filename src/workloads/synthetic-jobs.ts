// The jobs of each synthetic class (docs/workloads.md, "Synthetic tier mix"). Every draw comes from the
// class's own seeded stream, in a fixed order, so the same seed gives the same jobs on every machine.
//
// All classes share one rule for estimates: users overestimate, so the work a job really needs is its
// estimate × a factor drawn uniformly from [0.3, 1.0]; and they pad their hard limit to 1.2–2 × the
// estimate. A synthetic job therefore always finishes before its limit.
//
// Constant parts (labels, residency and model lists) are frozen objects shared between jobs: a year of
// jobs is a million objects, and sharing keeps it to a few hundred MB. Treat jobs as read-only.

import { totalGpus } from "../model/job-shape.ts";
import type { Job, JobShape, Tenant } from "../model/types.ts";
import type { SimJob } from "../simulator/types.ts";
import type { Rng } from "./prng.ts";
import { CLASS_RATES, type JobClass, type LatencyTarget, STARTUP_BURST_SIZES } from "./synthetic-classes.ts";
import type { TenantChooser } from "./tenant-mix.ts";

const MIN_S = 60;
const HOUR_S = 3600;
const DAY_S = 86_400;
/** Frontier training runs on whole GB300 NVL72 trays (4 GPUs); a rack holds 18 trays. */
export const FRONTIER_MODEL = "GB300";
const TRAY_GPUS = 4;
const TRAYS_PER_RACK = 18;

export type Weighted<T> = readonly (readonly [T, number])[];

export interface ClassContext {
  rng: Rng;
  chooseTenant: TenantChooser;
  /** GPU models the facility offers, each as a frozen one-model list. */
  modelLists: readonly (readonly string[])[];
  /** Latency targets paired with their weights, for rng.weighted. */
  latencyChoices: Weighted<LatencyTarget>;
  toMs: number;
}

const list = (...items: string[]): readonly string[] => Object.freeze(items);
const NO = list("NO");
const EEA = list("EEA");
const GCC = list("GCC");
const GB300 = list(FRONTIER_MODEL);
const LABELS: Readonly<Record<JobClass, Readonly<Record<string, string>>>> = {
  startup: Object.freeze({ synthetic: "true", class: "startup" }),
  research: Object.freeze({ synthetic: "true", class: "research" }),
  frontier: Object.freeze({ synthetic: "true", class: "frontier" }),
  inference: Object.freeze({ synthetic: "true", class: "inference" }),
};

/** What varies between classes; the rest of a Job is filled in by `simJob`. */
interface Draft {
  tenant: Tenant;
  shape: JobShape;
  gpuModels: readonly string[] | null;
  estimatedRuntimeS: number;
  priority: number;
  residency: readonly string[] | null;
  maxLatency: { region: string; ms: number } | null;
  checkpointIntervalS: number | null;
  deadlineAtMs: number | null;
}

/** Jobs arriving together at `atMs`: a burst for startups, one job for the other classes. */
export function classJobs(cls: JobClass, ctx: ClassContext, atMs: number, out: SimJob[]): void {
  if (cls === "startup") startupBurst(ctx, atMs, out);
  else if (cls === "research") out.push(simJob(ctx.rng, cls, atMs, research(ctx, atMs)));
  else if (cls === "frontier") out.push(simJob(ctx.rng, cls, atMs, frontier(ctx)));
  else out.push(simJob(ctx.rng, cls, atMs, inference(ctx)));
}

/** A burst: one user's sweep of similar 1–8 GPU jobs, submitted seconds to minutes apart. */
function startupBurst(ctx: ClassContext, atMs: number, out: SimJob[]): void {
  const { rng } = ctx;
  const size = rng.weighted(STARTUP_BURST_SIZES);
  const gpus = rng.weighted(STARTUP_GPUS);
  const template: Draft = {
    tenant: ctx.chooseTenant(rng, CLASS_RATES.startup.shares, gpus),
    shape: { kind: "gpus", gpus },
    gpuModels: ctx.modelLists.length > 0 && rng.chance(0.1) ? rng.pick(ctx.modelLists) : null,
    estimatedRuntimeS: rng.logUniform(10 * MIN_S, 12 * HOUR_S),
    priority: rng.weighted(STARTUP_PRIORITY),
    residency: rng.weighted(STARTUP_RESIDENCY),
    maxLatency: null,
    checkpointIntervalS: rng.chance(0.2) ? rng.pick([30 * MIN_S, HOUR_S]) : null,
    deadlineAtMs: null,
  };
  let t = atMs;
  for (let i = 0; i < size; i++) {
    if (i > 0) t += rng.int(5, 120) * 1000;
    if (t >= ctx.toMs) return;
    // Each job of a sweep tries other settings, so its runtime varies by ±20 % around the burst's.
    const estimate = roundUp(template.estimatedRuntimeS * (0.8 + 0.4 * rng.next()), MIN_S);
    out.push(
      simJob(rng, "startup", t, { ...template, shape: { kind: "gpus", gpus }, estimatedRuntimeS: estimate }),
    );
  }
}

const STARTUP_GPUS: Weighted<number> = [
  [1, 35],
  [2, 20],
  [4, 25],
  [8, 20],
];
const STARTUP_PRIORITY: Weighted<number> = [
  [0, 50],
  [1, 30],
  [2, 20],
];
const STARTUP_RESIDENCY: Weighted<readonly string[] | null> = [
  [NO, 35],
  [EEA, 45],
  [null, 20],
];

/** Gangs of 2–64 four-GPU nodes (8–256 GPUs) for 1–48 h; most checkpoint, many work to a deadline. */
function research(ctx: ClassContext, atMs: number): Draft {
  const { rng } = ctx;
  const nodes = Math.min(64, Math.floor(rng.logUniform(2, 65)));
  const gpus = nodes * TRAY_GPUS;
  const estimatedRuntimeS = roundUp(rng.logUniform(HOUR_S, 48 * HOUR_S), MIN_S);
  // Deadlines fall 2–7 days after submission, and never before the job could run to its padded limit.
  const deadlineAtMs = rng.chance(0.6)
    ? atMs + roundUp(Math.max(rng.int(2 * DAY_S, 7 * DAY_S), 2 * estimatedRuntimeS), HOUR_S) * 1000
    : null;
  return {
    tenant: ctx.chooseTenant(rng, CLASS_RATES.research.shares, gpus),
    shape: { kind: "gang", nodes, gpusPerNode: TRAY_GPUS },
    gpuModels: ctx.modelLists.length > 0 && rng.chance(0.2) ? rng.pick(ctx.modelLists) : null,
    estimatedRuntimeS,
    priority: rng.weighted(RESEARCH_PRIORITY),
    residency: rng.weighted(RESEARCH_RESIDENCY),
    maxLatency: null,
    checkpointIntervalS: rng.chance(0.7) ? rng.pick([30 * MIN_S, HOUR_S, 2 * HOUR_S]) : null,
    deadlineAtMs,
  };
}

const RESEARCH_PRIORITY: Weighted<number> = [
  [0, 40],
  [1, 40],
  [2, 20],
];
const RESEARCH_RESIDENCY: Weighted<readonly string[] | null> = [
  [EEA, 60],
  [NO, 15],
  [null, 25],
];

/** Gangs of 128–1,024 GB300 trays (512–4,096 GPUs) for 1–14 days, checkpointing every 1–3 h. */
function frontier(ctx: ClassContext): Draft {
  const { rng } = ctx;
  let nodes = Math.min(1024, Math.floor(rng.logUniform(128, 1025)));
  // Half ask for whole NVL72 racks, as large trainings are usually laid out.
  if (rng.chance(0.5))
    nodes = Math.min(1008, Math.max(144, Math.round(nodes / TRAYS_PER_RACK) * TRAYS_PER_RACK));
  const gpus = nodes * TRAY_GPUS;
  return {
    tenant: ctx.chooseTenant(rng, CLASS_RATES.frontier.shares, gpus),
    shape: { kind: "gang", nodes, gpusPerNode: TRAY_GPUS },
    gpuModels: GB300,
    estimatedRuntimeS: roundUp(rng.logUniform(DAY_S, 14 * DAY_S), HOUR_S),
    priority: rng.weighted(FRONTIER_PRIORITY),
    residency: rng.weighted(FRONTIER_RESIDENCY),
    maxLatency: null,
    checkpointIntervalS: rng.pick([HOUR_S, 1.5 * HOUR_S, 2 * HOUR_S, 2.5 * HOUR_S, 3 * HOUR_S]),
    deadlineAtMs: null,
  };
}

const FRONTIER_PRIORITY: Weighted<number> = [
  [1, 50],
  [2, 30],
  [3, 20],
];
const FRONTIER_RESIDENCY: Weighted<readonly string[] | null> = [
  [EEA, 50],
  [null, 40],
  [GCC, 10],
];

/** Services of 8–64 GPUs running 1–8 weeks, each bound in latency to one user region. */
function inference(ctx: ClassContext): Draft {
  const { rng } = ctx;
  const gpus = rng.weighted(INFERENCE_GPUS);
  const target = rng.weighted(ctx.latencyChoices);
  return {
    tenant: ctx.chooseTenant(rng, CLASS_RATES.inference.shares, gpus),
    shape: { kind: "gpus", gpus },
    gpuModels: null,
    estimatedRuntimeS: roundUp(rng.logUniform(7 * DAY_S, 56 * DAY_S), HOUR_S),
    priority: 3,
    residency: rng.chance(0.5) ? target.residency : null,
    maxLatency: { region: target.region, ms: target.ms },
    // A service keeps no training state: a restart loses nothing that a checkpoint would save.
    checkpointIntervalS: null,
    deadlineAtMs: null,
  };
}

const INFERENCE_GPUS: Weighted<number> = [
  [8, 40],
  [16, 30],
  [32, 20],
  [64, 10],
];

/** The Job around a draft, with the shared limit and runtime rules. The id is set once jobs are sorted. */
function simJob(rng: Rng, cls: JobClass, atMs: number, d: Draft): SimJob {
  const estimatedRuntimeS = Math.max(MIN_S, Math.round(d.estimatedRuntimeS));
  const limitS = roundUp(estimatedRuntimeS * (1.2 + 0.8 * rng.next()), MIN_S);
  const runtimeS = Math.max(1, Math.round(estimatedRuntimeS * (0.3 + 0.7 * rng.next())));
  const gpus = totalGpus(d.shape);
  const job: Job = {
    id: "",
    tenantId: d.tenant.id,
    name: `${cls}-${gpus}gpu`,
    shape: d.shape,
    gpuModels: d.gpuModels as string[] | null,
    estimatedRuntimeS,
    limitS,
    priority: d.priority,
    residency: d.residency as string[] | null,
    maxLatency: d.maxLatency,
    checkpointIntervalS: d.checkpointIntervalS,
    notBeforeAtMs: null,
    deadlineAtMs: d.deadlineAtMs,
    topology: "auto",
    labels: LABELS[cls] as Record<string, string>,
    submittedAtMs: atMs,
  };
  return { job, runtimeS };
}

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
