// Each tenant's footprint over any period [from, to), from the stored runs, by the accounting core
// (docs/energy.md): the facility is modelled over the whole UTC hours around the period with every tenant's
// runs in them, since a job's share of an hour's cooling, losses, water, heat and emissions depends on all
// the load at its site; each job is then charged for its time inside the period only. Idle capacity is
// charged to no tenant, exactly as the accounting attributes it. Pure: no clock, no store.
import { accountEnergy } from "../accounting/account.ts";
import { DEFAULT_GPU_UTILISATION } from "../accounting/energy-defaults.ts";
import { addFootprint, emptyFootprint, type Footprint } from "../accounting/footprint.ts";
import { MS_PER_HOUR, type Period } from "../accounting/period.ts";
import type { ScheduledJob } from "../accounting/schedule.ts";
import type { Signals } from "../accounting/signals.ts";
import { jobUtilisation } from "../accounting/utilisation.ts";
import type { Facility, GpuUtilisationModel } from "../model/types.ts";
import type { JobRunSlice } from "../store/records.ts";

export interface UsageInput {
  facility: Facility;
  /** Every tenant's runs over `wholeHoursAround(period)`, clipped to those hours. */
  runs: readonly JobRunSlice[];
  /** Every site's hourly signals over those hours. */
  signals: Signals;
  period: Period;
  /** Each tenant's tier, for the accounting's job records (usage reports no tiers; unknown ones stay ""). */
  tierOf: ReadonlyMap<string, string>;
}

/** The whole UTC hours the accounting models for a period: its first hour's start to its last hour's end. */
export function wholeHoursAround(period: Period): Period {
  return {
    fromMs: Math.floor(period.fromMs / MS_PER_HOUR) * MS_PER_HOUR,
    toMs: Math.ceil(period.toMs / MS_PER_HOUR) * MS_PER_HOUR,
  };
}

/**
 * Footprint per tenant with any run inside the period. A run at a site the facility no longer has, or
 * recorded before runs kept their site, counts in GPU-hours but has no energy figures.
 */
export function usageByTenant(input: UsageInput): Map<string, Footprint> {
  const { facility, period } = input;
  const hours = wholeHoursAround(period);
  const byTenant = new Map<string, Footprint>();
  const footprintOf = (tenantId: string) => {
    let f = byTenant.get(tenantId);
    if (f === undefined) {
      f = emptyFootprint();
      byTenant.set(tenantId, f);
    }
    return f;
  };

  const { jobs, unplaced } = scheduledJobs(input.runs, facility, input.tierOf);
  for (const run of unplaced) {
    const seconds = (Math.min(run.endAtMs, period.toMs) - Math.max(run.startAtMs, period.fromMs)) / 1000;
    if (seconds > 0) footprintOf(run.tenantId).gpuHours += (run.gpus * seconds) / 3600;
  }

  const account = accountEnergy({
    facility,
    schedule: { ...hours, jobs },
    signals: input.signals,
    period: hours,
    chargeWindow: period,
  });
  for (const job of account.jobs) addFootprint(footprintOf(job.tenantId), job.total);
  return byTenant;
}

/**
 * The stored runs as the accounting's jobs (one per job, its runs in order), and the runs it cannot place:
 * those at a site the facility no longer has, or recorded before runs kept their site.
 */
export function scheduledJobs(
  runs: readonly JobRunSlice[],
  facility: Facility,
  tierOf: ReadonlyMap<string, string>,
): { jobs: ScheduledJob[]; unplaced: JobRunSlice[] } {
  const model = facility.gpuUtilisation ?? DEFAULT_GPU_UTILISATION;
  const siteIds = new Set(facility.sites.map((s) => s.id));
  const jobs = new Map<string, ScheduledJob>();
  const unplaced: JobRunSlice[] = [];
  for (const run of runs) {
    if (run.siteId === null || !siteIds.has(run.siteId)) {
      unplaced.push(run);
      continue;
    }
    let job = jobs.get(run.jobId);
    if (job === undefined) {
      job = {
        jobId: run.jobId,
        tenantId: run.tenantId,
        tierId: tierOf.get(run.tenantId) ?? "",
        labels: readableLabels(run.labels, model),
        runs: [],
      };
      jobs.set(run.jobId, job);
    }
    job.runs.push({ siteId: run.siteId, startAtMs: run.startAtMs, endAtMs: run.endAtMs, gpus: run.gpus });
  }
  return { jobs: [...jobs.values()], unplaced };
}

/**
 * The labels with any utilisation label the accounting cannot read left out, so such a job counts at its
 * kind's utilisation: labels are free text at submission, and one bad label must not stop a tenant's usage.
 */
function readableLabels(
  labels: Readonly<Record<string, string>>,
  model: GpuUtilisationModel,
): Record<string, string> {
  let readable = { ...labels };
  for (
    let reading = jobUtilisation(readable, model);
    !reading.ok;
    reading = jobUtilisation(readable, model)
  ) {
    const { [reading.label]: _unreadable, ...rest } = readable;
    readable = rest;
  }
  return readable;
}
