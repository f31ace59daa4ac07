// results.json: each simulated run's summary and metrics (one run, or a policy and what it is compared
// with, in the order given) as text that depends only on the data — keys sorted at
// every level, derived numbers rounded to 6 significant digits, one trailing newline — so identical runs
// give byte-identical files and a diff between two runs shows only what changed. Each run also carries
// its schedule — every job's runs with site, GPUs, start and end — because the energy and carbon
// accounting (`fjord report`) works from it, and, when the run was accounted, its footprint: the
// schedule's CO2e, energy cost and deadlines kept, to compare policies by. Samples are left out: they are
// plotted, not accounted. So that a run can be checked independently (`fjord simulate --check`), each run
// also lists every job it was given — submission time and each run's start, end, site, GPU model, nodes
// and why it ended — and the file names the inputs it was simulated from. A run's nodes are compact (see
// src/simulator/run-nodes.ts): whole nodes as ranges in the facility's node order, other nodes with their
// GPU indices, as a year's gangs listed GPU by GPU made the file too large to write.
import { type Schedule, scheduleOfSimulation } from "../accounting/schedule.ts";
import type { SimJob } from "../simulator/types.ts";
import type { ReportRun } from "./chart-data.ts";
import { fmtUtc } from "./format.ts";
import { canonicalJsonChunks } from "./json-chunks.ts";

/** The files and options a simulation was run from, as given, for `fjord simulate --check` to reload. */
export interface ResultsInputs {
  facility: string;
  policy: string;
  workload: string;
  seed: number;
  from?: string;
  to?: string;
}

/**
 * The file's text piece by piece (joined, it is the whole file): a long run's file is larger than one
 * string may be. `workload` is the jobs the runs replayed (for their labels); every run replays the same
 * workload. `inputs`, when given, is recorded so the file names what it was simulated from.
 */
export function* resultsJsonChunks(
  runs: readonly ReportRun[],
  workload: readonly SimJob[],
  inputs?: ResultsInputs,
): Generator<string> {
  const doc = {
    ...(inputs === undefined ? {} : { inputs }),
    runs: runs.map((run) => runDocument(run, workload)),
  };
  yield* canonicalJsonChunks(doc);
  yield "\n";
}

function runDocument({ label, result, metrics, footprint }: ReportRun, workload: readonly SimJob[]): unknown {
  return {
    label,
    simulation: {
      fromMs: result.fromMs,
      toMs: result.toMs,
      from: fmtUtc(result.fromMs),
      to: fmtUtc(result.toMs),
      seed: result.seed,
      jobs: result.jobs.length,
      samples: result.samples.length,
      events: result.events,
      passes: result.passes,
      skipped: result.skipped,
      lostToFailuresGpuS: result.lostToFailuresGpuS,
      lostToPreemptionGpuS: result.lostToPreemptionGpuS,
    },
    metrics,
    ...(footprint === undefined ? {} : { footprint }),
    schedule: wholeMs(scheduleOfSimulation(result, workload)),
    jobs: result.jobs.map((j) => ({
      jobId: j.jobId,
      tenantId: j.tenantId,
      tierId: j.tierId,
      submittedAtMs: j.submittedAtMs,
      runs: j.runs.map((r) => ({
        startAtMs: Math.round(r.startAtMs),
        endAtMs: Math.round(r.endAtMs),
        siteId: r.siteId,
        gpuModel: r.gpuModel,
        wholeNodes: r.wholeNodes,
        partNodes: r.partNodes,
        end: r.end,
      })),
    })),
  };
}

/**
 * Runs that end or start at a node failure do so at a fraction of a millisecond; as derived numbers they
 * would be rounded to 6 significant digits — hours off in epoch milliseconds. Whole milliseconds keep them
 * exact, and rounding keeps their order, so no run is made to overlap another or start before submission.
 */
function wholeMs(schedule: Schedule): Schedule {
  return {
    ...schedule,
    jobs: schedule.jobs.map((j) => ({
      ...j,
      runs: j.runs.map((r) => ({ ...r, startAtMs: Math.round(r.startAtMs), endAtMs: Math.round(r.endAtMs) })),
    })),
  };
}
