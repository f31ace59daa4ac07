// The numbers behind the report's charts, shaped for uPlot (one shared x array per chart, one y array per
// series, null where a series has no point) and cut to at most MAX_POINTS points per series. The page's
// script only draws what is here; every choice of what to plot is made in this file.
import type { RunFootprint } from "../accounting/run-footprint.ts";
import { type SimulationMetrics, waitS } from "../simulator/metrics.ts";
import type { SimSample, SimulationResult } from "../simulator/types.ts";
import { bucketMeans, bucketRatios, buckets, evenIndices } from "./downsample.ts";
import { roundSignificant } from "./round.ts";

export interface ReportRun {
  label: string;
  result: SimulationResult;
  metrics: SimulationMetrics;
  /** The schedule's CO2e, energy cost and deadlines kept, when the run was accounted. */
  footprint?: RunFootprint;
}

export interface ChartSeries {
  label: string;
  /** Index of the run the series belongs to (sets its line style). */
  run: number;
  /** Tier the series is about (sets its colour); null for a whole-facility series. */
  tier: string | null;
  values: (number | null)[];
}

export interface Chart {
  x: number[];
  series: ChartSeries[];
}

export interface ReportData {
  runs: string[];
  /** The tiers jobs belong to in any run, in policy order: the GPU-hours chart's bars and the wait CDF. */
  tiers: string[];
  /**
   * The tiers, then any queue only the samples name (the FIFO baseline's one `fifo` queue, which has no jobs
   * of its own): a queue's colour is its index here.
   */
  queues: string[];
  /** x: Unix seconds; y: allocated / available GPUs, %. */
  utilisation: Chart;
  /** One chart per run. x: Unix seconds; y: jobs waiting, mean over each point's bucket. */
  queue: Chart[];
  /** x: wait in hours; y: % of the tier's submitted jobs started within that wait. */
  waitCdf: Chart;
  /** x: bar positions (tier i sits at i; runs side by side around it); y: GPU-hours. */
  gpuHours: Chart;
}

export function chartData(runs: readonly ReportRun[]): ReportData {
  const tiers = [...new Set(runs.flatMap((r) => r.metrics.tiers.map((t) => t.tierId)))];
  const queues = [...new Set([...tiers, ...sampledQueues(runs)])];
  return {
    runs: runs.map((r) => r.label),
    tiers,
    queues,
    utilisation: utilisationChart(runs),
    queue: runs.map((r, i) => queueChart(r, i, queues)),
    waitCdf: waitCdfChart(runs, tiers),
    gpuHours: gpuHoursChart(runs, tiers),
  };
}

function sampledQueues(runs: readonly ReportRun[]): string[] {
  return runs.flatMap((r) =>
    [...new Set(r.result.samples.flatMap((s) => Object.keys(s.queuedByTier)))].sort(),
  );
}

function sortedSamples(result: SimulationResult): SimSample[] {
  return [...result.samples].sort((a, b) => a.atMs - b.atMs);
}

/** Each run's utilisation, bucketed on its own samples, then laid on the union of the runs' times. */
function utilisationChart(runs: readonly ReportRun[]): Chart {
  const perRun = runs.map((r) => {
    const samples = sortedSamples(r.result);
    const points = bucketRatios(
      samples.map((s) => s.atMs / 1000),
      samples.map((s) => s.allocatedGpus),
      samples.map((s) => s.availableGpus),
    );
    return new Map(points.map((p) => [p.t, p.v === null ? null : roundSignificant(p.v * 100)]));
  });
  const x = [...new Set(perRun.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return {
    x,
    series: runs.map((r, i) => ({
      label: r.label,
      run: i,
      tier: null,
      values: x.map((t) => perRun[i]!.get(t) ?? null),
    })),
  };
}

function queueChart(run: ReportRun, runIndex: number, queues: readonly string[]): Chart {
  const samples = sortedSamples(run.result);
  const times = samples.map((s) => s.atMs / 1000);
  // The queues the run's samples count (the baseline has only its one); without samples, its jobs' tiers.
  const sampled = queues.filter((q) => hasQueue(samples, q));
  const present =
    sampled.length > 0 ? sampled : queues.filter((q) => run.metrics.tiers.some((m) => m.tierId === q));
  const series = present.map((tier) => {
    const points = bucketMeans(
      times,
      samples.map((s) => (Object.hasOwn(s.queuedByTier, tier) ? s.queuedByTier[tier]! : 0)),
    );
    return { label: tier, run: runIndex, tier, values: points.map((p) => roundSignificant(p.v)) };
  });
  return { x: buckets(times.length).map(([start]) => times[start]!), series };
}

function hasQueue(samples: readonly SimSample[], tier: string): boolean {
  // Own keys only: a tier named like an Object.prototype property is not there by inheritance.
  return samples.some((s) => Object.hasOwn(s.queuedByTier, tier));
}

/**
 * Per run and tier, the share of submitted jobs that had started within each wait: jobs that never started
 * keep the curve below 100 %, so a tier that strands work shows it. Evaluated on the union of all waits
 * (plus 0), thinned by rank to MAX_POINTS; each value is exact at its x.
 */
function waitCdfChart(runs: readonly ReportRun[], tiers: readonly string[]): Chart {
  const groups = runs.flatMap((r, run) =>
    tiers.flatMap((tier) => {
      const jobs = r.result.jobs.filter((j) => j.tierId === tier);
      if (jobs.length === 0) return [];
      const waits = jobs
        .map(waitS)
        .filter((w): w is number => w !== null)
        .map((w) => w / 3600)
        .sort((a, b) => a - b);
      const label = runs.length > 1 ? `${r.label} · ${tier}` : tier;
      return [{ label, run, tier, waits, total: jobs.length }];
    }),
  );
  const all = [...new Set([0, ...groups.flatMap((g) => g.waits)])].sort((a, b) => a - b);
  const x = evenIndices(all.length).map((i) => all[i]!);
  return {
    x: x.map((v) => roundSignificant(v)),
    series: groups.map((g) => ({
      label: g.label,
      run: g.run,
      tier: g.tier,
      values: x.map((v) => roundSignificant((100 * countAtMost(g.waits, v)) / g.total)),
    })),
  };
}

/** How many of the ascending `sorted` are ≤ v (binary search). */
function countAtMost(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Grouped bars: tier i is centred on x = i and the runs' bars sit side by side within 0.8 of the slot.
 * uPlot needs one x array for all series, so each run's series has values only at its own positions.
 */
function gpuHoursChart(runs: readonly ReportRun[], tiers: readonly string[]): Chart {
  const n = runs.length;
  const width = 0.8 / n;
  const positions = tiers.flatMap((_, i) =>
    runs.map((_, run) => ({ tier: i, run, x: i + (run - (n - 1) / 2) * width })),
  );
  return {
    x: positions.map((p) => roundSignificant(p.x)),
    series: runs.map((r, run) => ({
      label: r.label,
      run,
      tier: null,
      values: positions.map((p) => {
        if (p.run !== run) return null;
        const tier = r.metrics.tiers.find((t) => t.tierId === tiers[p.tier]);
        return tier ? roundSignificant(tier.gpuHoursDelivered) : 0;
      }),
    })),
  };
}
