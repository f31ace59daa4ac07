// Seeded arrival times with a weekly rhythm: a non-homogeneous Poisson process whose rate follows a profile
// over the 168 hours of a week in Oslo, sampled by thinning (draw at the peak rate, keep each candidate with
// probability rate/peak). Exact for any profile and a handful of operations per candidate.
//
// Oslo is taken as UTC+1 all year (standard time, CET): summer time shifts the real office hours by an
// hour from late March to late October, which is well inside the spread of when people submit jobs.
import type { Rng } from "./prng.ts";

export const HOURS_PER_WEEK = 168;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const OSLO_OFFSET_MS = HOUR_MS;
/** 1970-01-01, epoch day 0, was a Thursday: weekday 3 counting Monday as 0. */
const EPOCH_WEEKDAY = 3;

/** Relative arrival rate per hour of the week, Monday 00:00 Oslo first; mean 1 over the week. */
export type WeekProfile = Float64Array;

/** Builds a profile from a rate per (weekday 0 = Monday … 6 = Sunday, local hour 0–23), normalised to mean 1. */
export function weekProfile(rate: (weekday: number, hour: number) => number): WeekProfile {
  const profile = new Float64Array(HOURS_PER_WEEK);
  let sum = 0;
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    profile[h] = rate(Math.floor(h / 24), h % 24);
    sum += profile[h]!;
  }
  if (!(sum > 0)) throw new Error("a week profile needs some hour with a positive rate");
  for (let h = 0; h < HOURS_PER_WEEK; h++) profile[h]! *= HOURS_PER_WEEK / sum;
  return profile;
}

export const FLAT_WEEK: WeekProfile = weekProfile(() => 1);

/** Hour of the week in Oslo standard time (0 = Monday 00:00–01:00). */
export function osloHourOfWeek(atMs: number): number {
  const localHour = Math.floor((atMs + OSLO_OFFSET_MS) / HOUR_MS);
  const h = (localHour + EPOCH_WEEKDAY * 24) % HOURS_PER_WEEK;
  return h < 0 ? h + HOURS_PER_WEEK : h;
}

/** Arrival instants (integer ms, ascending) in [fromMs, toMs) at a mean of `perDay` over whole weeks. */
export function arrivalTimes(
  rng: Rng,
  fromMs: number,
  toMs: number,
  perDay: number,
  profile: WeekProfile,
): number[] {
  let peak = 0;
  for (const r of profile) peak = Math.max(peak, r);
  const peakPerMs = (perDay * peak) / DAY_MS;
  const times: number[] = [];
  if (!(peakPerMs > 0)) return times;
  let t = fromMs;
  for (;;) {
    t -= Math.log(1 - rng.next()) / peakPerMs;
    if (t >= toMs) return times;
    if (rng.next() * peak < profile[osloHourOfWeek(t)]!) times.push(Math.floor(t));
  }
}
