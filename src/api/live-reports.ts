// The energy reports of `fjord report`, made from the live service's stored runs instead of a simulation's
// schedule: the annual EU data-centre report (or the year so far), one tenant's footprint per job and
// month, and each site's flows hour by hour over a short period. Pure: the routes read the runs and signals, the accounting thread runs these.
import { type AccountInput, accountEnergy } from "../accounting/account.ts";
import { type EedReport, eedReport, type ReportInputs } from "../accounting/eed-report.ts";
import type { HourFlows } from "../accounting/facility-hour.ts";
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

/** The accounting of the input's period with every stored run in it. */
function accountLive(input: LiveReportInput, options: Pick<AccountInput, "siteIds" | "keepHours"> = {}) {
  return accountEnergy({
    facility: input.facility,
    schedule: { ...input.period, jobs: scheduledJobs(input.runs, input.facility, input.tierOf).jobs },
    signals: input.signals,
    period: input.period,
    ...options,
  });
}

export function liveEedReport(
  input: LiveReportInput & { siteIds: readonly string[]; inputs: ReportInputs },
): EedReport {
  return eedReport(accountLive(input, { siteIds: input.siteIds }), input.facility, input.inputs);
}

export function liveFootprint(input: LiveReportInput & { tenantId: string }): TenantFootprint {
  return tenantFootprint(accountLive(input), input.tenantId);
}

/** Each site's flows (facility-hour.ts) hour by hour over the period, for the sites asked for. */
export function liveFacilityEnergy(
  input: LiveReportInput & { siteIds: readonly string[] },
): { siteId: string; hourly: HourFlows[] }[] {
  const account = accountLive(input, { siteIds: input.siteIds, keepHours: true });
  return account.sites.map((s) => ({ siteId: s.siteId, hourly: s.hourly ?? [] }));
}
