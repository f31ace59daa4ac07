// Accounting for a period: hour by hour and site by site, the IT energy a schedule implies, the facility
// around it (facility-hour.ts), and the attribution of everything to jobs and to idle capacity. Within an
// hour at a site, each job is accountable for its IT energy and, in proportion to it, for the facility's
// overhead, water, reused heat, renewable supply, emissions and cost; idle GPUs on powered nodes carry the
// rest. So jobs + idle = the facility's totals, hour by hour (property-tested).
import type { Facility, SiteEnergy } from "../model/types.ts";
import { DEFAULT_GPU_UTILISATION } from "./energy-defaults.ts";
import { siteEnergy } from "./energy-schema.ts";
import { facilityHour, type HourFlows } from "./facility-hour.ts";
import { addFootprint, emptyFootprint, type Footprint } from "./footprint.ts";
import {
  forEachHourOverlap,
  hoursIn,
  MS_PER_HOUR,
  monthAndHourOf,
  monthKey,
  monthsOf,
  type Period,
  S_PER_HOUR,
} from "./period.ts";
import type { Schedule } from "./schedule.ts";
import { periodOffset, type Signals } from "./signals.ts";
import { busyGpuPowerW, idleGpuPowerW, type SitePower, sitePowers } from "./site-power.ts";
import { jobUtilisation } from "./utilisation.ts";

/** Sums of a site's hourly flows over a period (offtakers by model order). */
export type SiteTotals = Omit<HourFlows, "offtakerKWh"> & {
  offtakerKWh: number[];
  gpuHoursAvailable: number;
  gpuHoursBusy: number;
  hours: number;
};

export interface SiteAccount {
  siteId: string;
  power: SitePower;
  model: SiteEnergy;
  totals: SiteTotals;
  /** The same sums per UTC month (YYYY-MM), in order. */
  monthly: { month: string; totals: SiteTotals }[];
  /** What idle GPU slots on powered nodes (and hours no job ran) are accountable for. */
  idle: Footprint;
  /** Each hour's flows, in order, when the input asked to keep them (`keepHours`). */
  hourly?: HourFlows[];
}

export interface JobAccount {
  jobId: string;
  tenantId: string;
  tierId: string;
  utilisation: number;
  /** Which rule set the utilisation (utilisation.ts). */
  utilisationRule: string;
  total: Footprint;
  /** By UTC month (YYYY-MM) the job ran in. */
  byMonth: Map<string, Footprint>;
}

export interface EnergyAccount {
  period: Period;
  sites: SiteAccount[];
  /** Jobs with any run inside the period (and charge window) at an accounted site, in schedule order. */
  jobs: JobAccount[];
}

export interface AccountInput {
  facility: Facility;
  schedule: Schedule;
  signals: Signals;
  period: Period;
  /** Sites to account for; default every site of the facility. */
  siteIds?: readonly string[];
  /**
   * Charge jobs only for their time inside this window (default: the whole period). Every run still counts
   * towards its hours' IT energy, so a job charged for part of an hour pays that whole hour's rates; the
   * runs' time outside the window is then charged to neither the jobs nor idle capacity.
   */
  chargeWindow?: Period;
  /** Keep each site's hourly flows (SiteAccount.hourly): for short periods, as a year's hours are many. */
  keepHours?: boolean;
}

const FLOW_KEYS = [
  "itKWh",
  "liquidCoolingKWh",
  "airCoolingKWh",
  "upsLossKWh",
  "transformerLossKWh",
  "auxiliaryKWh",
  "facilityKWh",
  "waterL",
  "baselineWaterL",
  "heatCapturedKWh",
  "heatReusedKWh",
  "heatRejectedKWh",
  "onSiteKWh",
  "ppaKWh",
  "guaranteesKWh",
  "co2eLocationKg",
  "co2eMarketKg",
  "energyCostEur",
] as const satisfies readonly (keyof HourFlows)[];

/** Per hour, each attributed flow per kWh of IT energy. */
interface HourRatios {
  facility: Float64Array;
  water: Float64Array;
  heatReused: Float64Array;
  renewable: Float64Array;
  co2eLocation: Float64Array;
  co2eMarket: Float64Array;
  cost: Float64Array;
}

export function accountEnergy(input: AccountInput): EnergyAccount {
  const { facility, schedule, signals, period } = input;
  const hours = hoursIn(period);
  const powers = sitePowers(facility);
  const utilisationModel = facility.gpuUtilisation ?? DEFAULT_GPU_UTILISATION;
  const siteIds = input.siteIds ?? facility.sites.map((s) => s.id);
  const wanted = new Set(siteIds);

  const utilisations = schedule.jobs.map((job) => {
    const reading = jobUtilisation(job.labels, utilisationModel);
    if (!reading.ok)
      throw new Error(
        `job ${job.jobId}: label ${reading.label} ${reading.problem} (check the schedule first)`,
      );
    return reading;
  });

  // Pass 1: busy GPU-seconds and busy IT energy per site and hour.
  const busyGpuS = new Map<string, Float64Array>();
  const busyItKWh = new Map<string, Float64Array>();
  for (const id of siteIds) {
    busyGpuS.set(id, new Float64Array(hours));
    busyItKWh.set(id, new Float64Array(hours));
  }
  schedule.jobs.forEach((job, j) => {
    for (const run of job.runs) {
      if (!wanted.has(run.siteId)) continue;
      const gpuS = busyGpuS.get(run.siteId)!;
      const itKWh = busyItKWh.get(run.siteId)!;
      const perSecondKWh =
        (run.gpus * busyGpuPowerW(powers.get(run.siteId)!, utilisations[j]!.utilisation)) / 3.6e6;
      forEachHourOverlap(period, run.startAtMs, run.endAtMs, (h, seconds) => {
        gpuS[h]! += run.gpus * seconds;
        itKWh[h]! += perSecondKWh * seconds;
      });
    }
  });

  const months = monthsOf(period);
  const monthOfHour = new Int32Array(hours);
  for (let h = 0; h < hours; h++) monthOfHour[h] = months.indexOf(monthKey(period.fromMs + h * MS_PER_HOUR));

  const ratios = new Map<string, HourRatios>();
  const sites: SiteAccount[] = siteIds.map((siteId) => {
    const site = facility.sites.find((s) => s.id === siteId);
    const power = powers.get(siteId);
    const series = signals.bySite.get(siteId);
    if (site === undefined || power === undefined) throw new Error(`unknown site ${siteId}`);
    if (series === undefined) throw new Error(`no signals for site ${siteId}`);
    const offset = periodOffset(series, period);
    if (offset === null) throw new Error(`signals for site ${siteId} do not cover the period`);
    const model = siteEnergy(site);
    const idleSlotKWh = idleGpuPowerW(power) / 3.6e6;
    const r = emptyRatios(hours);
    const totals = emptyTotals(model, hours, power.gpus);
    const monthly = months.map((month) => ({ month, totals: emptyTotals(model, 0, power.gpus) }));
    const idle = emptyFootprint();
    const hourly: HourFlows[] = [];
    const gpuS = busyGpuS.get(siteId)!;
    const busyIt = busyItKWh.get(siteId)!;
    for (let h = 0; h < hours; h++) {
      const { month, hourOfDay } = monthAndHourOf(period, h);
      const idleGpuS = power.gpus * S_PER_HOUR - gpuS[h]!;
      const itKWh = busyIt[h]! + idleGpuS * idleSlotKWh;
      const flows = facilityHour(
        {
          itKWh,
          outdoorTemperatureC: series.outdoorTemperatureC[offset + h]!,
          carbonGPerKWh: series.carbonGPerKWh[offset + h]!,
          priceEurPerMWh: series.priceEurPerMWh[offset + h]!,
          month,
          hourOfDay,
        },
        model,
      );
      const renewableKWh = flows.onSiteKWh + flows.ppaKWh + flows.guaranteesKWh;
      const per = (x: number) => (itKWh > 0 ? x / itKWh : 0);
      r.facility[h] = per(flows.facilityKWh);
      r.water[h] = per(flows.waterL);
      r.heatReused[h] = per(flows.heatReusedKWh);
      r.renewable[h] = per(renewableKWh);
      r.co2eLocation[h] = per(flows.co2eLocationKg);
      r.co2eMarket[h] = per(flows.co2eMarketKg);
      r.cost[h] = per(flows.energyCostEur);
      addFlows(totals, flows);
      if (input.keepHours) hourly.push(flows);
      totals.gpuHoursBusy += gpuS[h]! / S_PER_HOUR;
      const monthTotals = monthly[monthOfHour[h]!]!.totals;
      addFlows(monthTotals, flows);
      monthTotals.hours += 1;
      monthTotals.gpuHoursAvailable += power.gpus;
      monthTotals.gpuHoursBusy += gpuS[h]! / S_PER_HOUR;
      // Idle takes the complement of the jobs' shares, so the two add up to the hour's flows exactly, also in
      // an hour with no IT energy at all (a site whose nodes are all down still has its auxiliary load).
      const jobsIt = busyIt[h]!;
      addFootprint(idle, {
        gpuHours: idleGpuS / S_PER_HOUR,
        itKWh: flows.itKWh - jobsIt,
        facilityKWh: flows.facilityKWh - jobsIt * r.facility[h]!,
        waterL: flows.waterL - jobsIt * r.water[h]!,
        heatReusedKWh: flows.heatReusedKWh - jobsIt * r.heatReused[h]!,
        renewableKWh: renewableKWh - jobsIt * r.renewable[h]!,
        co2eLocationKg: flows.co2eLocationKg - jobsIt * r.co2eLocation[h]!,
        co2eMarketKg: flows.co2eMarketKg - jobsIt * r.co2eMarket[h]!,
        energyCostEur: flows.energyCostEur - jobsIt * r.cost[h]!,
      });
    }
    ratios.set(siteId, r);
    return { siteId, power, model, totals, monthly, idle, ...(input.keepHours ? { hourly } : {}) };
  });

  // Pass 2: each job's runs inside the charge window, hour by hour, at the hour's ratios.
  const charged = input.chargeWindow ?? period;
  const jobs: JobAccount[] = [];
  schedule.jobs.forEach((job, j) => {
    const { utilisation, rule } = utilisations[j] as { utilisation: number; rule: string };
    const total = emptyFootprint();
    const byMonth = new Map<string, Footprint>();
    let any = false;
    for (const run of job.runs) {
      const r = ratios.get(run.siteId);
      if (r === undefined) continue;
      const perSecondKWh = (run.gpus * busyGpuPowerW(powers.get(run.siteId)!, utilisation)) / 3.6e6;
      const fromMs = Math.max(run.startAtMs, charged.fromMs);
      const toMs = Math.min(run.endAtMs, charged.toMs);
      forEachHourOverlap(period, fromMs, toMs, (h, seconds) => {
        any = true;
        const it = perSecondKWh * seconds;
        const share: Footprint = {
          gpuHours: (run.gpus * seconds) / S_PER_HOUR,
          itKWh: it,
          facilityKWh: it * r.facility[h]!,
          waterL: it * r.water[h]!,
          heatReusedKWh: it * r.heatReused[h]!,
          renewableKWh: it * r.renewable[h]!,
          co2eLocationKg: it * r.co2eLocation[h]!,
          co2eMarketKg: it * r.co2eMarket[h]!,
          energyCostEur: it * r.cost[h]!,
        };
        addFootprint(total, share);
        const month = months[monthOfHour[h]!]!;
        let m = byMonth.get(month);
        if (m === undefined) {
          m = emptyFootprint();
          byMonth.set(month, m);
        }
        addFootprint(m, share);
      });
    }
    if (any)
      jobs.push({
        jobId: job.jobId,
        tenantId: job.tenantId,
        tierId: job.tierId,
        utilisation,
        utilisationRule: rule,
        total,
        byMonth,
      });
  });

  return { period, sites, jobs };
}

function emptyRatios(hours: number): HourRatios {
  return {
    facility: new Float64Array(hours),
    water: new Float64Array(hours),
    heatReused: new Float64Array(hours),
    renewable: new Float64Array(hours),
    co2eLocation: new Float64Array(hours),
    co2eMarket: new Float64Array(hours),
    cost: new Float64Array(hours),
  };
}

function emptyTotals(model: SiteEnergy, hours: number, gpus: number): SiteTotals {
  const totals = Object.fromEntries(FLOW_KEYS.map((k) => [k, 0])) as Record<
    (typeof FLOW_KEYS)[number],
    number
  >;
  return {
    ...totals,
    offtakerKWh: model.heatRecovery.offtakers.map(() => 0),
    gpuHoursAvailable: gpus * hours,
    gpuHoursBusy: 0,
    hours,
  };
}

function addFlows(totals: SiteTotals, flows: HourFlows): void {
  for (const k of FLOW_KEYS) totals[k] += flows[k];
  flows.offtakerKWh.forEach((kWh, i) => {
    totals.offtakerKWh[i]! += kWh;
  });
}
