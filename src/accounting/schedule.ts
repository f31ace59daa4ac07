// What accounting reads from a simulation: every job's runs (site, GPUs, start, end) and the labels that say
// how hard its GPUs work. `scheduleOfSimulation` builds it from the simulator's result and workload;
// results.json carries it per run (see schedule-document.ts for the file form).
import type { SimJob, SimulationResult } from "../simulator/types.ts";

export interface ScheduledRun {
  siteId: string;
  startAtMs: number;
  endAtMs: number;
  gpus: number;
}

export interface ScheduledJob {
  jobId: string;
  tenantId: string;
  tierId: string;
  /** The job's labels: `class` picks its kind's GPU utilisation, `gpuUtilisation` overrides it. */
  labels: Record<string, string>;
  runs: ScheduledRun[];
}

export interface Schedule {
  /** The simulated period: outside it the facility's GPUs are counted idle. */
  fromMs: number;
  toMs: number;
  jobs: ScheduledJob[];
}

/** The schedule a simulation produced; labels come from the workload the simulator was given. */
export function scheduleOfSimulation(result: SimulationResult, workload: readonly SimJob[]): Schedule {
  const labels = new Map(workload.map((s) => [s.job.id, s.job.labels]));
  return {
    fromMs: result.fromMs,
    toMs: result.toMs,
    jobs: result.jobs
      .filter((j) => j.runs.length > 0)
      .map((j) => ({
        jobId: j.jobId,
        tenantId: j.tenantId,
        tierId: j.tierId,
        labels: { ...(labels.get(j.jobId) ?? {}) },
        runs: j.runs.map((r) => ({
          siteId: r.siteId,
          startAtMs: r.startAtMs,
          endAtMs: r.endAtMs,
          gpus: r.gpus,
        })),
      })),
  };
}
