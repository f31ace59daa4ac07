// The four job classes of the synthetic tier-mix workload (docs/workloads.md, "Synthetic tier mix"): how
// often each arrives, when in the week, and how its jobs split over the tiers. The shapes of the jobs
// themselves are in synthetic-jobs.ts. Rates are jobs per day at scale 1, averaged over a week; together
// they make about 2,756 jobs a day, ~1,000,000 a year.
import { FLAT_WEEK, type WeekProfile, weekProfile } from "./arrival-times.ts";
import type { TierShares } from "./tenant-mix.ts";

export const JOB_CLASSES = ["startup", "research", "frontier", "inference"] as const;
export type JobClass = (typeof JOB_CLASSES)[number];

export interface ClassRate {
  perDay: number;
  profile: WeekProfile;
  shares: TierShares;
}

const WEEKDAY = (weekday: number) => weekday < 5;

/** Office hours in Oslo, Monday to Friday 08–18: startups submit while they work, hardly at weekends. */
const OFFICE_HOURS = weekProfile((day, hour) => (WEEKDAY(day) ? (hour >= 8 && hour < 18 ? 1 : 0.1) : 0.05));

/** Research runs around the clock but peaks in long working days and slows at weekends. */
const RESEARCH_WEEK = weekProfile((day, hour) => (WEEKDAY(day) ? (hour >= 8 && hour < 20 ? 1.5 : 0.7) : 0.5));

export const CLASS_RATES: Readonly<Record<JobClass, ClassRate>> = {
  // Many small jobs from Norwegian startups first of all, then European ones.
  startup: { perDay: 1900, profile: OFFICE_HOURS, shares: { first: 0.6, middle: 0.3, last: 0.1 } },
  // Universities and institutes, national first.
  research: { perDay: 800, profile: RESEARCH_WEEK, shares: { first: 0.5, middle: 0.4, last: 0.1 } },
  // A few frontier-model trainings a day, mostly global and European enterprises.
  frontier: { perDay: 6, profile: FLAT_WEEK, shares: { first: 0.1, middle: 0.3, last: 0.6 } },
  // Services are deployed any time, by everyone.
  inference: { perDay: 50, profile: FLAT_WEEK, shares: { first: 0.3, middle: 0.3, last: 0.4 } },
};

/** Startups submit in bursts (sweeps, retries): jobs per burst, weighted. Mean 5.7. */
export const STARTUP_BURST_SIZES: readonly (readonly [number, number])[] = [
  [1, 40],
  [2, 15],
  [4, 15],
  [8, 15],
  [16, 10],
  [32, 5],
];

export function meanOf(weighted: readonly (readonly [number, number])[]): number {
  let sum = 0;
  let weight = 0;
  for (const [value, w] of weighted) {
    sum += value * w;
    weight += w;
  }
  return sum / weight;
}

/** A user region inference services bound their latency to, and the residency half of them ask for. */
export interface LatencyTarget {
  region: string;
  ms: number;
  /** Relative share of services for this region. */
  weight: number;
  residency: readonly string[] | null;
}

/**
 * Regions of facilities/stargate-norway.yaml, each bound met by at least one of its sites (in a
 * jurisdiction that satisfies the residency): the Norwegian site for Europe, Abu Dhabi for the Gulf.
 */
export const DEFAULT_LATENCY_TARGETS: readonly LatencyTarget[] = [
  { region: "no-north", ms: 10, weight: 15, residency: ["NO"] },
  { region: "nordics", ms: 20, weight: 30, residency: ["EEA"] },
  { region: "eu-north", ms: 25, weight: 15, residency: ["EEA"] },
  { region: "eu-central", ms: 40, weight: 20, residency: ["EEA"] },
  { region: "uk", ms: 45, weight: 10, residency: ["EEA"] },
  { region: "gulf", ms: 10, weight: 10, residency: ["GCC"] },
];
