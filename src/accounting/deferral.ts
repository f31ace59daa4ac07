// Carbon- or price-aware deferral: given an hourly signal (grid carbon intensity or day-ahead price), a job's
// earliest start, its runtime and its deadline, the start that minimises the signal's time-weighted mean over
// the run. Candidates are the earliest start and every whole hour after it up to the latest start that still
// finishes by the deadline (or within `maxDelayS` when the job has none); ties go to the earliest start, so a
// flat signal never delays a job. A run that cannot finish by its deadline even now is not delayed at all.
import { MS_PER_HOUR } from "./period.ts";

export interface HourlySeries {
  /** Start of hour 0, a whole UTC hour. */
  fromMs: number;
  values: ArrayLike<number>;
}

export interface DeferralRequest {
  earliestStartMs: number;
  runtimeS: number;
  deadlineAtMs: number | null;
  /** Longest delay considered; bounds the search for jobs without a deadline. */
  maxDelayS: number;
}

export type DeferralChoice =
  | { startAtMs: number; delayS: number; meanSignal: number; baselineMeanSignal: number }
  | { startAtMs: number; delayS: 0; reason: "misses-deadline-anyway" | "signal-does-not-cover-run" };

export function bestStartHour(series: HourlySeries, request: DeferralRequest): DeferralChoice {
  const { earliestStartMs, runtimeS, deadlineAtMs, maxDelayS } = request;
  if (!(runtimeS > 0)) throw new Error(`bestStartHour: runtimeS must be positive, got ${runtimeS}`);
  const runMs = runtimeS * 1000;
  const prefix = prefixIntegral(series.values);
  const endOfSeriesMs = series.fromMs + series.values.length * MS_PER_HOUR;
  const mean = (startMs: number) =>
    (integral(series.fromMs, prefix, series.values, startMs, startMs + runMs) / runMs) * 1000;

  if (deadlineAtMs !== null && earliestStartMs + runMs > deadlineAtMs)
    return { startAtMs: earliestStartMs, delayS: 0, reason: "misses-deadline-anyway" };
  if (earliestStartMs < series.fromMs || earliestStartMs + runMs > endOfSeriesMs)
    return { startAtMs: earliestStartMs, delayS: 0, reason: "signal-does-not-cover-run" };

  let latestStartMs = Math.min(earliestStartMs + maxDelayS * 1000, endOfSeriesMs - runMs);
  if (deadlineAtMs !== null) latestStartMs = Math.min(latestStartMs, deadlineAtMs - runMs);
  const baseline = mean(earliestStartMs);
  let best = { startAtMs: earliestStartMs, meanSignal: baseline };
  const firstHour = Math.ceil((earliestStartMs - series.fromMs) / MS_PER_HOUR) * MS_PER_HOUR + series.fromMs;
  for (let start = firstHour; start <= latestStartMs; start += MS_PER_HOUR) {
    if (start === earliestStartMs) continue;
    const m = mean(start);
    if (m < best.meanSignal) best = { startAtMs: start, meanSignal: m };
  }
  return {
    startAtMs: best.startAtMs,
    delayS: (best.startAtMs - earliestStartMs) / 1000,
    meanSignal: best.meanSignal,
    baselineMeanSignal: baseline,
  };
}

/** prefix[h] = Σ values[0..h) (value × one hour, in value·hours). */
function prefixIntegral(values: ArrayLike<number>): Float64Array {
  const prefix = new Float64Array(values.length + 1);
  for (let h = 0; h < values.length; h++) prefix[h + 1] = prefix[h]! + values[h]!;
  return prefix;
}

/** ∫ signal dt over [aMs, bMs), in value·seconds; the signal is constant within each hour. */
function integral(
  fromMs: number,
  prefix: Float64Array,
  values: ArrayLike<number>,
  aMs: number,
  bMs: number,
): number {
  const at = (ms: number) => {
    const hours = (ms - fromMs) / MS_PER_HOUR;
    const whole = Math.floor(hours);
    const partial = whole < values.length ? (hours - whole) * values[whole]! : 0;
    return (prefix[whole]! + partial) * 3600;
  };
  return at(bMs) - at(aMs);
}
