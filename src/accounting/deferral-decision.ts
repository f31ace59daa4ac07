// Whether a job that opted into deferral should wait for cleaner or cheaper hours, decided once at
// submission from the hourly signals of the sites it may run at. The run is sized at the job's hard limit
// (limitS), not its estimate, so even a job that runs to its limit still ends by its deadline.
import { ownValue } from "../model/own-value.ts";
import type { DeferralPolicy, Job, JobDeferral } from "../model/types.ts";
import { bestStartHour } from "./deferral.ts";
import { MS_PER_HOUR, type Period } from "./period.ts";
import type { Signals, SiteSignals } from "./signals.ts";

/** The label (`deferrable: "true"`) a job carries to let deferral move its start; no other job is moved. */
export const DEFERRABLE_LABEL = "deferrable";

export function optedIntoDeferral(job: Job): boolean {
  return ownValue(job.labels, DEFERRABLE_LABEL) === "true";
}

/**
 * The deferral worth applying, or null. Each allowed site proposes the start hour with the lowest mean
 * signal over the run; the largest saving of at least `minSaving` wins. A site the signals do not know
 * means the job could run where nothing is known, so it is not deferred at all.
 */
export function decideDeferral(
  job: Job,
  allowedSiteIds: readonly string[],
  signals: Signals,
  policy: DeferralPolicy,
): JobDeferral | null {
  const earliestStartMs = earliestStartOf(job);
  let best: JobDeferral | null = null;
  for (const siteId of allowedSiteIds) {
    const site = signals.bySite.get(siteId);
    if (site === undefined) return null;
    const choice = bestStartHour(
      { fromMs: site.fromMs, values: seriesOf(site, policy) },
      {
        earliestStartMs,
        runtimeS: job.limitS,
        deadlineAtMs: job.deadlineAtMs,
        // A deadline bounds the wait by itself; maxDelay bounds only the jobs without one.
        maxDelayS: job.deadlineAtMs === null ? policy.maxDelayS : Number.POSITIVE_INFINITY,
      },
    );
    // A saving is a share of now's mean; with a mean at or below zero (negative prices) there is none.
    if (!("meanSignal" in choice) || choice.delayS === 0 || !(choice.baselineMeanSignal > 0)) continue;
    const saving = 1 - choice.meanSignal / choice.baselineMeanSignal;
    if (saving < policy.minSaving || (best !== null && saving <= best.saving)) continue;
    best = { untilAtMs: choice.startAtMs, signal: policy.signal, saving, deadlineAtMs: job.deadlineAtMs };
  }
  return best;
}

/** The whole hours a decision for the job can look at: from its earliest start to the latest end it allows. */
export function deferralWindow(job: Job, policy: DeferralPolicy): Period {
  const earliestStartMs = earliestStartOf(job);
  const endMs = job.deadlineAtMs ?? earliestStartMs + (policy.maxDelayS + job.limitS) * 1000;
  return {
    fromMs: Math.floor(earliestStartMs / MS_PER_HOUR) * MS_PER_HOUR,
    toMs:
      Math.max(Math.ceil(endMs / MS_PER_HOUR), Math.floor(earliestStartMs / MS_PER_HOUR) + 1) * MS_PER_HOUR,
  };
}

/**
 * The job with the decision recorded and, when deferred, its earliest start raised to the deferral's end
 * (the one it asked for kept in the deferral, so the submission can be told apart from the decision).
 */
export function withDeferral(job: Job, deferral: JobDeferral | null): Job {
  return deferral === null
    ? { ...job, deferral: null }
    : {
        ...job,
        deferral: { ...deferral, requestedNotBeforeAtMs: job.notBeforeAtMs },
        notBeforeAtMs: deferral.untilAtMs,
      };
}

/** The job as it was submitted, before any deferral decision: what a retried submission is compared with. */
export function asSubmitted(job: Job): Job {
  if (job.deferral === undefined) return job;
  const { deferral, ...submitted } = job;
  if (deferral === null || deferral.requestedNotBeforeAtMs === undefined) return submitted;
  return { ...submitted, notBeforeAtMs: deferral.requestedNotBeforeAtMs };
}

function earliestStartOf(job: Job): number {
  return Math.max(job.submittedAtMs, job.notBeforeAtMs ?? job.submittedAtMs);
}

function seriesOf(site: SiteSignals, policy: DeferralPolicy): Float64Array {
  return policy.signal === "carbon" ? site.carbonGPerKWh : site.priceEurPerMWh;
}
