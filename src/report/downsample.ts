// Long simulations sample the facility every few minutes for months: hundreds of thousands of points per
// series, more than a chart can show or a report file should carry. These reduce a series to at most a
// fixed number of points, the same way every time, so identical inputs give identical reports.

/** Most points any one chart series carries. */
export const MAX_POINTS = 2000;

/**
 * Splits indices 0…n−1 into at most `max` consecutive buckets of near-equal size: bucket b covers
 * [⌊b·n/max⌋, ⌊(b+1)·n/max⌋). With n ≤ max every index is its own bucket. Deterministic: depends on n and
 * max only.
 */
export function buckets(n: number, max: number = MAX_POINTS): [start: number, end: number][] {
  const count = Math.min(n, max);
  const out: [number, number][] = [];
  for (let b = 0; b < count; b++) out.push([Math.floor((b * n) / count), Math.floor(((b + 1) * n) / count)]);
  return out;
}

/**
 * Bucket means of a series sampled at a fixed interval: each bucket becomes one point at its first
 * sample's time carrying the mean of its values — a time average, so the area under the curve (GPU-hours,
 * job-hours waiting) is kept. `ratio` series such as utilisation are averaged as Σnum / Σden over the bucket
 * instead, which is the time-weighted ratio; a bucket with Σden = 0 gives null.
 */
export function bucketMeans(times: readonly number[], values: readonly number[], max = MAX_POINTS) {
  return buckets(times.length, max).map(([s, e]) => ({ t: times[s]!, v: mean(values, s, e) }));
}

export function bucketRatios(
  times: readonly number[],
  num: readonly number[],
  den: readonly number[],
  max = MAX_POINTS,
): { t: number; v: number | null }[] {
  return buckets(times.length, max).map(([s, e]) => {
    const d = total(den, s, e);
    return { t: times[s]!, v: d > 0 ? total(num, s, e) / d : null };
  });
}

/**
 * At most `max` of the indices 0…n−1, evenly spaced by rank and always including the first and the last:
 * for picking points of an already-sorted set (a CDF's steps) without losing its ends.
 */
export function evenIndices(n: number, max: number = MAX_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

function total(xs: readonly number[], s: number, e: number): number {
  let t = 0;
  for (let i = s; i < e; i++) t += xs[i]!;
  return t;
}

function mean(xs: readonly number[], s: number, e: number): number {
  return total(xs, s, e) / (e - s);
}
