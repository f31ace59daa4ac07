// What a simulation achieved, in the terms operators and papers compare schedulers by: utilisation, queue
// waits, slowdown, fairness, work lost, fragmentation and deadlines — overall, per tier and per tenant.
// Pure: the same SimulationResult gives the same numbers. Every value is a plain finite number or null
// (for a figure that is undefined, such as a percentile of no jobs), so the result serialises to JSON as is.
//
// Which jobs count: every job record in the result (the simulator records the jobs it was given). The one
// exception is demand for fairness, which — as a share of what was asked for *in the period* — counts only
// jobs submitted in [fromMs, toMs).
import { IDLE_CAUSES, type IdleGpusByCause, noIdleGpus } from "../scheduler/idle-causes.ts";
import { DEFAULT_MIN_RUNTIME_S } from "../scheduler/victim-order.ts";
import type { RunEnd, SimJobRecord, SimRun, SimSample, SimulationResult } from "./types.ts";

const MS_PER_HOUR = 3_600_000;
const DEFAULT_BOUNDED_SLOWDOWN_THRESHOLD_S = 10;

/** Summary of a set of values. Percentiles are nearest-rank (see `nearestRank`); all null when empty. */
export interface Distribution {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The figures computed for any group of jobs: the whole facility, one tier or one tenant. */
export interface GroupMetrics {
  jobsSubmitted: number;
  /** Jobs with at least one run. */
  jobsStarted: number;
  jobsCompleted: number;
  /** Jobs with no run at all by the end of the period; their waits are in `censoredWaitS`, not `waitS`. */
  neverStarted: number;
  /** GPU-hours the group's runs held inside [fromMs, toMs] (see `gpuHoursInPeriod`). */
  gpuHoursDelivered: number;
  /** gpus × runtimeS of the group's jobs submitted in [fromMs, toMs), in hours. */
  gpuHoursDemanded: number;
  /** gpuHoursDelivered / the facility's available GPU-hours; null when nothing was available. */
  utilisation: number | null;
  /** First run's start − submission, for jobs that started (seconds). */
  waitS: Distribution;
  /** toMs − submission for jobs that never started: a lower bound on their wait (seconds). */
  censoredWaitS: Distribution;
  /** completedAtMs − submittedAtMs for completed jobs (seconds). */
  completionTimeS: Distribution;
  /** Feitelson's bounded slowdown of completed jobs (see `boundedSlowdown`). */
  boundedSlowdown: Distribution;
  /** Runs that ended "preempted". */
  preemptions: number;
  /** Runs that ended "preempted" having run less than the minimum runtime: thrashing the guard should stop. */
  preemptionsBeforeMinRuntime: number;
  /** Σ lostGpuS / 3600 of runs that ended "preempted" and "failed". */
  gpuHoursLostToPreemption: number;
  gpuHoursLostToFailures: number;
  /** Completed after the deadline, or not completed by toMs with a deadline before toMs. */
  deadlineMisses: number;
}

export interface TierMetrics extends GroupMetrics {
  tierId: string;
  /** Tenants of the tier with any job in the result. */
  tenants: number;
  /** Jain's index over the tier's tenants' normalised shares (see `jainIndex`). */
  fairness: number | null;
}

export interface TenantMetrics extends GroupMetrics {
  tenantId: string;
  tierId: string;
  /** GPU-hours delivered to the jobs submitted in the period / GPU-hours they demanded; null when none. */
  normalisedShare: number | null;
}

export interface SimulationMetrics {
  fromMs: number;
  toMs: number;
  boundedSlowdownThresholdS: number;
  /** The minimum runtime `preemptionsBeforeMinRuntime` counts against, in seconds. */
  minRuntimeS: number;
  /** ∫ availableGpus dt over [fromMs, toMs] in GPU-hours (see `availableGpuHours`); null without samples. */
  availableGpuHours: number | null;
  overall: GroupMetrics & { tenants: number; fairness: number | null };
  /** The result's own totals of work lost, in GPU-hours (the per-group figures add up runs' lostGpuS). */
  lostGpuHours: { preemption: number; failures: number };
  /** strandedGpus / availableGpus over the samples in the period that had any GPU available. */
  fragmentation: { samples: number; mean: number | null; p95: number | null };
  /** GPU-hours free while jobs waited, in all and by what held the waiting jobs back (idleWhileWaiting). */
  idleWhileWaiting: { gpuHours: number; byCause: IdleGpusByCause } | null;
  /** In the order of `opts.tiers`, then any other tier that has jobs, by id. */
  tiers: TierMetrics[];
  /** By tier (in the order above), then tenant id. */
  tenants: TenantMetrics[];
}

export interface MetricsOptions {
  /** Tier ids in priority order; each gets an entry even with no jobs. */
  tiers: string[];
  /** τ in the bounded slowdown; default 10 s. */
  boundedSlowdownThresholdS?: number;
  /** The policy's minimum runtime before preemption (see `preemptionsBeforeMinRuntime`); default 600 s. */
  minRuntimeS?: number;
}

export function computeMetrics(result: SimulationResult, opts: MetricsOptions): SimulationMetrics {
  const tau = opts.boundedSlowdownThresholdS ?? DEFAULT_BOUNDED_SLOWDOWN_THRESHOLD_S;
  const available = availableGpuHours(result.samples, result.fromMs, result.toMs);
  const minRuntimeMs = (opts.minRuntimeS ?? DEFAULT_MIN_RUNTIME_S) * 1000;
  const group = (jobs: SimJobRecord[]) => groupMetrics(jobs, result, available, tau, minRuntimeMs);

  const tierIds = [...opts.tiers];
  for (const id of [...new Set(result.jobs.map((j) => j.tierId))].sort()) {
    if (!tierIds.includes(id)) tierIds.push(id);
  }
  const byTenant = groupBy(result.jobs, (j) => j.tenantId);
  const tenants: TenantMetrics[] = [...byTenant.entries()]
    .map(([tenantId, jobs]) => ({
      tenantId,
      tierId: jobs[0]!.tierId,
      ...group(jobs),
      normalisedShare: normalisedShare(jobs, result.fromMs, result.toMs),
    }))
    .sort((a, b) => tierIds.indexOf(a.tierId) - tierIds.indexOf(b.tierId) || compare(a.tenantId, b.tenantId));

  const tiers: TierMetrics[] = tierIds.map((tierId) => {
    const inTier = tenants.filter((t) => t.tierId === tierId);
    return {
      tierId,
      ...group(result.jobs.filter((j) => j.tierId === tierId)),
      tenants: inTier.length,
      fairness: jainIndex(inTier.map((t) => t.normalisedShare)),
    };
  });

  return {
    fromMs: result.fromMs,
    toMs: result.toMs,
    boundedSlowdownThresholdS: tau,
    minRuntimeS: minRuntimeMs / 1000,
    availableGpuHours: available,
    overall: {
      ...group(result.jobs),
      tenants: tenants.length,
      fairness: jainIndex(tenants.map((t) => t.normalisedShare)),
    },
    lostGpuHours: {
      preemption: result.lostToPreemptionGpuS / 3600,
      failures: result.lostToFailuresGpuS / 3600,
    },
    fragmentation: fragmentation(result.samples, result.fromMs, result.toMs),
    idleWhileWaiting: idleWhileWaiting(result.samples, result.fromMs, result.toMs),
    tiers,
    tenants,
  };
}

function groupMetrics(
  jobs: SimJobRecord[],
  result: SimulationResult,
  availableGpuHours: number | null,
  tau: number,
  minRuntimeMs: number,
): GroupMetrics {
  const { fromMs, toMs } = result;
  const waits: number[] = [];
  const censored: number[] = [];
  const completion: number[] = [];
  const slowdowns: number[] = [];
  let delivered = 0;
  let demanded = 0;
  let deadlineMisses = 0;
  for (const job of jobs) {
    delivered += jobGpuHoursInPeriod(job, fromMs, toMs);
    if (submittedInPeriod(job, fromMs, toMs)) demanded += (job.gpus * job.runtimeS) / 3600;
    const wait = waitS(job);
    if (wait === null) censored.push(Math.max(0, (toMs - job.submittedAtMs) / 1000));
    else waits.push(wait);
    if (job.completedAtMs !== null) {
      const responseS = (job.completedAtMs - job.submittedAtMs) / 1000;
      completion.push(responseS);
      slowdowns.push(boundedSlowdown(responseS, job.runtimeS, tau));
    }
    if (missedDeadline(job, toMs)) deadlineMisses++;
  }
  const runs = jobs.flatMap((j) => j.runs);
  return {
    jobsSubmitted: jobs.length,
    jobsStarted: waits.length,
    jobsCompleted: completion.length,
    neverStarted: censored.length,
    gpuHoursDelivered: delivered,
    gpuHoursDemanded: demanded,
    utilisation: availableGpuHours !== null && availableGpuHours > 0 ? delivered / availableGpuHours : null,
    waitS: distribution(waits),
    censoredWaitS: distribution(censored),
    completionTimeS: distribution(completion),
    boundedSlowdown: distribution(slowdowns),
    preemptions: runs.filter((r) => r.end === "preempted").length,
    preemptionsBeforeMinRuntime: runs.filter(
      (r) => r.end === "preempted" && r.endAtMs - r.startAtMs < minRuntimeMs,
    ).length,
    gpuHoursLostToPreemption: lostGpuHours(runs, "preempted"),
    gpuHoursLostToFailures: lostGpuHours(runs, "failed"),
    deadlineMisses,
  };
}

/** Seconds from submission to the first run's start; null if the job never ran. */
export function waitS(job: SimJobRecord): number | null {
  if (job.runs.length === 0) return null;
  const firstStart = Math.min(...job.runs.map((r) => r.startAtMs));
  return (firstStart - job.submittedAtMs) / 1000;
}

/**
 * Bounded slowdown after Feitelson (D. G. Feitelson, "Metrics for parallel job scheduling and their
 * convergence", JSSPP 2001; and Feitelson, Rudolph, Schwiegelshohn, Sevcik & Wong, "Theory and practice in
 * parallel job scheduling", JSSPP 1997): max(1, (Tw + Tr) / max(Tr, τ)). The threshold τ keeps very short
 * jobs from dominating the mean with huge ratios. Tw + Tr is the response time, completion − submission,
 * so time a preempted job spent waiting again and redoing lost work counts against it; Tr is the work the
 * job needed (`runtimeS`), what it would take on a dedicated machine.
 */
export function boundedSlowdown(responseS: number, runtimeS: number, tauS: number): number {
  const denominator = Math.max(runtimeS, tauS);
  return denominator > 0 ? Math.max(1, responseS / denominator) : 1;
}

/**
 * Nearest-rank percentile: the smallest value with at least p % of the values at or below it, i.e. the
 * value at 1-based rank ⌈p/100 · n⌉ of the sorted values (rank 1 for p = 0). Always one of the values —
 * no interpolation — so a p99 wait is a wait some job actually had. `sorted` must be ascending.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.length > 0 ? sum(sorted) / sorted.length : null,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
  };
}

/**
 * Jain's fairness index (R. Jain, D. Chiu & W. Hawe, "A quantitative measure of fairness and discrimination
 * for resource allocation in shared computer systems", DEC-TR-301, 1984): J = (Σx)² / (n · Σx²) over the
 * n tenants that demanded anything, x = a tenant's normalised share. J = 1 when every tenant got the same
 * share of what it asked for, 1/n when one tenant got everything; shares above 1 (reruns after lost work)
 * are used as they are. Null when no tenant demanded anything or none received anything (0/0).
 */
export function jainIndex(shares: readonly (number | null)[]): number | null {
  const xs = shares.filter((x): x is number => x !== null);
  const total = sum(xs);
  const squares = sum(xs.map((x) => x * x));
  if (xs.length === 0 || squares === 0) return null;
  return (total * total) / (xs.length * squares);
}

/**
 * A tenant's normalised share: GPU-hours received inside the period by its jobs submitted in the period,
 * divided by the GPU-hours those jobs demanded (gpus × runtimeS). Null when they demanded nothing.
 */
function normalisedShare(jobs: SimJobRecord[], fromMs: number, toMs: number): number | null {
  const inPeriod = jobs.filter((j) => submittedInPeriod(j, fromMs, toMs));
  const demanded = sum(inPeriod.map((j) => (j.gpus * j.runtimeS) / 3600));
  if (demanded === 0) return null;
  return sum(inPeriod.map((j) => jobGpuHoursInPeriod(j, fromMs, toMs))) / demanded;
}

/** GPU-hours a run held inside [fromMs, toMs]: gpus × the length of its overlap with the period. */
export function gpuHoursInPeriod(run: SimRun, fromMs: number, toMs: number): number {
  const overlapMs = Math.min(run.endAtMs, toMs) - Math.max(run.startAtMs, fromMs);
  return overlapMs > 0 ? (run.gpus * overlapMs) / MS_PER_HOUR : 0;
}

function jobGpuHoursInPeriod(job: SimJobRecord, fromMs: number, toMs: number): number {
  return sum(job.runs.map((r) => gpuHoursInPeriod(r, fromMs, toMs)));
}

/**
 * ∫ availableGpus dt over [fromMs, toMs], in GPU-hours. The samples form a step function: each holds from
 * its own time until the next sample's, the last until toMs; before the first sample the facility is taken
 * to be as first sampled. Null when there are no samples (availability unknown).
 *
 * Utilisation = Σ over runs of gpus × |run ∩ [fromMs, toMs]| / this integral: exact for the runs, and as
 * exact for availability as the sampling lets it be.
 */
export function availableGpuHours(
  samples: readonly SimSample[],
  fromMs: number,
  toMs: number,
): number | null {
  if (samples.length === 0) return null;
  return sampledHours(samples, fromMs, toMs, (s) => s.availableGpus);
}

/**
 * GPU-hours free while jobs waited (strandedGpus, integrated as availableGpuHours integrates availability),
 * in all and by what held the waiting jobs back; null without samples.
 */
export function idleWhileWaiting(
  samples: readonly SimSample[],
  fromMs: number,
  toMs: number,
): { gpuHours: number; byCause: IdleGpusByCause } | null {
  if (samples.length === 0) return null;
  const byCause = noIdleGpus();
  for (const cause of IDLE_CAUSES)
    byCause[cause] = sampledHours(samples, fromMs, toMs, (s) => s.idleGpusByCause?.[cause] ?? 0);
  return { gpuHours: sampledHours(samples, fromMs, toMs, (s) => s.strandedGpus), byCause };
}

/** ∫ value dt over [fromMs, toMs] in hours, each sample's value held until the next (the first from fromMs). */
function sampledHours(
  samples: readonly SimSample[],
  fromMs: number,
  toMs: number,
  value: (s: SimSample) => number,
): number {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  let valueMs = 0;
  sorted.forEach((s, i) => {
    const start = Math.max(i === 0 ? Math.min(s.atMs, fromMs) : s.atMs, fromMs);
    const end = Math.min(sorted[i + 1]?.atMs ?? toMs, toMs);
    if (end > start) valueMs += value(s) * (end - start);
  });
  return valueMs / MS_PER_HOUR;
}

/** Stranded share of the available GPUs, averaged over samples (taken at a fixed interval, so a time mean). */
function fragmentation(samples: readonly SimSample[], fromMs: number, toMs: number) {
  const ratios = samples
    .filter((s) => s.atMs >= fromMs && s.atMs <= toMs && s.availableGpus > 0)
    .map((s) => s.strandedGpus / s.availableGpus);
  const d = distribution(ratios);
  return { samples: d.count, mean: d.mean, p95: d.p95 };
}

function missedDeadline(job: SimJobRecord, toMs: number): boolean {
  if (job.deadlineAtMs === null) return false;
  if (job.completedAtMs !== null) return job.completedAtMs > job.deadlineAtMs;
  return job.deadlineAtMs < toMs;
}

function lostGpuHours(runs: readonly SimRun[], end: RunEnd): number {
  return sum(runs.filter((r) => r.end === end).map((r) => r.lostGpuS)) / 3600;
}

function submittedInPeriod(job: SimJobRecord, fromMs: number, toMs: number): boolean {
  return job.submittedAtMs >= fromMs && job.submittedAtMs < toMs;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function sum(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
