// What one simulated run's schedule costs the climate and the energy bill, for comparing policies: the
// location-based CO2e and energy cost of its jobs (their IT energy and pro-rata share of the facility's
// overhead, docs/energy.md), and how many deadlines it kept. Idle capacity is left out: it is the same
// hardware under every policy, and deferral moves work, not idle nodes.
import type { Facility } from "../model/types.ts";
import type { SimulationMetrics } from "../simulator/metrics.ts";
import type { SimulationResult } from "../simulator/types.ts";
import { accountEnergy } from "./account.ts";
import { MS_PER_HOUR, type Period } from "./period.ts";
import type { Schedule } from "./schedule.ts";
import type { Signals } from "./signals.ts";

export interface RunFootprint {
  co2eLocationKg: number;
  energyCostEur: number;
  facilityKWh: number;
  /** Jobs that had a deadline, and those of them that missed it (metrics' deadlineMisses). */
  deadlineJobs: number;
  deadlinesMissed: number;
  /** Where the hourly signals came from. */
  signals: string;
}

/** The whole UTC hours a run's accounting covers: from its start's hour to the end of its last hour. */
export function accountingPeriod(result: SimulationResult): Period {
  const fromMs = Math.floor(result.fromMs / MS_PER_HOUR) * MS_PER_HOUR;
  const toMs = Math.max(Math.ceil(result.toMs / MS_PER_HOUR) * MS_PER_HOUR, fromMs + MS_PER_HOUR);
  return { fromMs, toMs };
}

/**
 * `schedule` is the run's (scheduleOfSimulation), already checked (checkSchedule); `signals` must cover
 * accountingPeriod(result) at every site the run used.
 */
export function runFootprint(
  result: SimulationResult,
  schedule: Schedule,
  metrics: SimulationMetrics,
  facility: Facility,
  signals: Signals,
): RunFootprint {
  const account = accountEnergy({ facility, schedule, signals, period: accountingPeriod(result) });
  let co2eLocationKg = 0;
  let energyCostEur = 0;
  let facilityKWh = 0;
  for (const { total } of account.jobs) {
    co2eLocationKg += total.co2eLocationKg;
    energyCostEur += total.energyCostEur;
    facilityKWh += total.facilityKWh;
  }
  return {
    co2eLocationKg,
    energyCostEur,
    facilityKWh,
    deadlineJobs: result.jobs.filter((j) => j.deadlineAtMs !== null).length,
    deadlinesMissed: metrics.overall.deadlineMisses,
    signals: signals.source,
  };
}
