// A seeded synthetic workload for simulating a facility over months or a year: four job classes —
// startups, research, frontier training and inference services — arriving with their own weekly rhythms
// and split over the policy's tiers (docs/workloads.md, "Synthetic tier mix"). Pure and deterministic:
// the same options give deep-equal jobs on every machine. Each class draws from its own stream (seeded
// from the seed and the class name), so changing one class's mix leaves the others' jobs as they were.
import type { Tenant, Tier } from "../model/types.ts";
import type { SimJob } from "../simulator/types.ts";
import { arrivalTimes } from "./arrival-times.ts";
import { hashString } from "./hash.ts";
import { mulberry32 } from "./prng.ts";
import {
  CLASS_RATES,
  DEFAULT_LATENCY_TARGETS,
  JOB_CLASSES,
  type JobClass,
  type LatencyTarget,
  meanOf,
  STARTUP_BURST_SIZES,
} from "./synthetic-classes.ts";
import { type ClassContext, classJobs, FRONTIER_MODEL } from "./synthetic-jobs.ts";
import { tenantChooser } from "./tenant-mix.ts";

export interface SyntheticWorkloadOptions {
  seed: number;
  /** Jobs are submitted in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  tenants: readonly Tenant[];
  /** The policy's tiers in priority order: classes split their jobs by tier position. */
  tiers: readonly Tier[];
  /** Arrival multiplier: 1 ≈ 2,756 jobs a day, about 1,000,000 a year. */
  scale: number;
  /** GPU models the facility offers; frontier training needs GB300. */
  gpuModels: readonly string[];
  /** Regions inference services bound their latency to; default DEFAULT_LATENCY_TARGETS. */
  latencyTargets?: readonly LatencyTarget[];
  /** Multiplier per class on top of `scale` (default 1 each); 0 leaves a class out. */
  classMix?: Partial<Record<JobClass, number>>;
  /** Job ids are `${idPrefix}-0000001`… in submission order (default "syn"). */
  idPrefix?: string;
}

/** Jobs sorted by submission time; ids number them in that order. */
export function syntheticWorkload(options: SyntheticWorkloadOptions): SimJob[] {
  const { seed, fromMs, toMs, scale } = options;
  if (!(toMs > fromMs)) throw new Error(`toMs must be after fromMs (${fromMs} … ${toMs})`);
  if (!(scale >= 0 && Number.isFinite(scale))) throw new Error(`scale must be a number ≥ 0, got ${scale}`);
  const mix = options.classMix ?? {};
  if ((mix.frontier ?? 1) > 0 && !options.gpuModels.includes(FRONTIER_MODEL)) {
    throw new Error(
      `frontier training needs ${FRONTIER_MODEL} GPUs, which gpuModels (${options.gpuModels.join(", ")}) ` +
        "does not offer; set classMix.frontier to 0 to leave it out",
    );
  }
  const latencyTargets = options.latencyTargets ?? DEFAULT_LATENCY_TARGETS;
  if (latencyTargets.length === 0) throw new Error("latencyTargets must name at least one region");
  const latencyChoices = latencyTargets.map((t) => [t, t.weight] as const);
  const chooseTenant = tenantChooser(options.tenants, options.tiers);
  const modelLists = options.gpuModels.map((m) => Object.freeze([m]));

  const jobs: SimJob[] = [];
  for (const cls of JOB_CLASSES) {
    const rate = CLASS_RATES[cls];
    const multiplier = mix[cls] ?? 1;
    if (!(multiplier >= 0)) throw new Error(`classMix.${cls} must be ≥ 0, got ${multiplier}`);
    const rng = mulberry32(hashString(seed, cls));
    // Startups arrive in bursts, so bursts arrive at the job rate divided by the mean burst size.
    const perEvent = cls === "startup" ? meanOf(STARTUP_BURST_SIZES) : 1;
    const times = arrivalTimes(
      rng,
      fromMs,
      toMs,
      (rate.perDay * scale * multiplier) / perEvent,
      rate.profile,
    );
    const ctx: ClassContext = { rng, chooseTenant, modelLists, latencyChoices, toMs };
    for (const t of times) classJobs(cls, ctx, t, jobs);
  }
  // Stable: ties keep class order, then generation order.
  jobs.sort((a, b) => a.job.submittedAtMs - b.job.submittedAtMs);
  const prefix = options.idPrefix ?? "syn";
  const width = Math.max(7, String(jobs.length).length);
  for (let i = 0; i < jobs.length; i++) jobs[i]!.job.id = `${prefix}-${String(i + 1).padStart(width, "0")}`;
  return jobs;
}
