// The energy reports of `fjord report`, made from the live service's stored runs instead of a simulation's
// schedule: the annual EU data-centre report (or the year so far) and one tenant's footprint per job and
// month. Pure: the routes read the runs and signals, the accounting thread runs these.
import { accountEnergy } from "../accounting/account.ts";
import { type EedReport, eedReport, type ReportInputs } from "../accounting/eed-report.ts";
import { type TenantFootprint, tenantFootprint } from "../accounting/footprint-report.ts";
import type { Period } from "../accounting/period.ts";
import type { Signals } from "../accounting/signals.ts";
import type { Facility } from "../model/types.ts";
import type { JobRunSlice } from "../store/records.ts";
import { scheduledJobs } from "./usage-footprint.ts";

export interface LiveReportInput {
  facility: Facility;
  /** Every tenant's runs overlapping the period, clipped to it (running ones end now). */
  runs: readonly JobRunSlice[];
  signals: Signals;
  /** Whole UTC hours. */
  period: Period;
  tierOf: ReadonlyMap<string, string>;
}

export function liveEedReport(
  input: LiveReportInput & { siteIds: readonly string[]; inputs: ReportInputs },
): EedReport {
  const account = accountEnergy({
    facility: input.facility,
    schedule: { ...input.period, jobs: scheduledJobs(input.runs, input.facility, input.tierOf).jobs },
    signals: input.signals,
    period: input.period,
    siteIds: input.siteIds,
  });
  return eedReport(account, input.facility, input.inputs);
}

export function liveFootprint(input: LiveReportInput & { tenantId: string }): TenantFootprint {
  const account = accountEnergy({
    facility: input.facility,
    schedule: { ...input.period, jobs: scheduledJobs(input.runs, input.facility, input.tierOf).jobs },
    signals: input.signals,
    period: input.period,
  });
  return tenantFootprint(account, input.tenantId);
}
