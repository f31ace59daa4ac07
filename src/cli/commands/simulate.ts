// `fjord simulate`: replays a workload through the scheduler in virtual time and writes results.json and a
// self-contained report.html. With --compare it replays the same workload under a second policy (or the
// built-in FIFO + EASY-backfill baseline) and puts the two side by side. A policy with a `deferral` section
// replays the workload with its opted-in jobs deferred; every run is accounted for CO2e and energy cost
// with the same hourly signals (--signals, or the seeded synthetic series). With --check it simulates
// nothing: it re-verifies a results.json it wrote earlier against the facility and workload (check-results.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { checkSchedule } from "../../accounting/check-schedule.ts";
import { accountingPeriod, runFootprint } from "../../accounting/run-footprint.ts";
import { scheduleOfSimulation } from "../../accounting/schedule.ts";
import { checkOperatorTenants } from "../../facility/check-operator-tenants.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { positiveDurationS, validate } from "../../model/input-schemas.ts";
import type { Policy } from "../../model/types.ts";
import { loadPolicyFile } from "../../policy/load-policy-file.ts";
import { loadChartAssets } from "../../report/assets.ts";
import { type ReportRun, renderReport } from "../../report/render-report.ts";
import { resultsJsonChunks } from "../../report/results-json.ts";
import { compileFacility } from "../../scheduler/compile-facility.ts";
import { minRuntimeS } from "../../scheduler/victim-order.ts";
import { FIFO_BASELINE_NAME, fifoBaseline } from "../../simulator/fifo-baseline.ts";
import { computeMetrics } from "../../simulator/metrics.ts";
import { simulate } from "../../simulator/simulate.ts";
import type { NodeReliability, SimJob, SimulationResult, SkippedInput } from "../../simulator/types.ts";
import { checkResultsFile } from "../check-results.ts";
import type { CliIo } from "../io.ts";
import { simulationSummary } from "../render/simulation-summary.ts";
import { parseSeed } from "../seed-option.ts";
import { loadSimulationFiles, type SimulationFiles } from "../simulation-inputs.ts";
import { deferredWorkload, signalsOver, simulationSignals } from "../simulation-signals.ts";
import { writeChunks } from "../write-chunks.ts";

export interface SimulateOptions {
  facility?: string;
  policy?: string;
  workload?: string;
  seed: string;
  from?: string;
  to?: string;
  out?: string;
  /** A results.json to re-verify instead of simulating. */
  check?: string;
  compare?: string;
  mtbf?: string;
  repair?: string;
  /** Hourly signals CSV for deferral and accounting; default the seeded synthetic series. */
  signals?: string;
  /** commander's --no-progress sets this to false. */
  progress?: boolean;
}

/** Told the share of the current run that is done, 0…1. */
export interface ProgressSink {
  start(label: string): void;
  update(done: number): void;
  stop(): void;
}

export function registerSimulate(program: Command, io: CliIo): Command {
  return program
    .command("simulate")
    .description(
      "replay a workload through the scheduler in virtual time; write results.json and report.html",
    )
    .option("--facility <file>", "facility YAML, or the Alibaba trace's node list (.csv) (required)")
    .option("--policy <file>", "access policy YAML (tiers, tenants) (required)")
    .option(
      "--workload <source>",
      "Alibaba 2023 task list (.csv), alibaba-2025:<file> (Alibaba's 2025 DLRM serving trace), Fjord jobs file (.csv, .jsonl), or synthetic[:scale] (1 ≈ 1,000,000 jobs a year) (required)",
    )
    .option(
      "--out <dir>",
      "directory to write results.json and report.html into (created if missing) (required)",
    )
    .option(
      "--check <results.json>",
      "simulate nothing: re-verify a results.json against the facility, policy and workload it names (or --facility, --policy, --workload); exit 2 listing every violation",
    )
    .option("--seed <n>", "seed for tenant assignment, synthetic jobs, failures and synthetic signals", "1")
    .option("--from <time>", "ISO 8601 start of the simulated period (trace second 0; synthetic start)")
    .option("--to <time>", "ISO 8601 end of the simulated period (default: when the last job ends)")
    .option(
      "--compare <policy>",
      `a second policy YAML, or "${FIFO_BASELINE_NAME}" for FIFO with EASY backfill`,
    )
    .option(
      "--mtbf <duration>",
      "mean time between failures of each node, e.g. 50000h (default: no failures)",
    )
    .option("--repair <duration>", "time to repair a failed node, with --mtbf", "4h")
    .option(
      "--signals <file>",
      "hourly signals CSV for deferral and CO2e/cost accounting (default: seeded synthetic series per site)",
    )
    .option("--no-progress", "no progress bar on stderr")
    .action((_options: unknown, command: Command) => {
      const options = command.opts<SimulateOptions>();
      if (options.check !== undefined) {
        io.out(checkResultsFile(options.check, options));
        return;
      }
      const progress = options.progress !== false && process.stderr.isTTY ? terminalProgress() : undefined;
      io.out(runSimulateCommand(options, progress));
    });
}

/** Runs the simulation(s), writes the two files, and returns the summary to print. */
export function runSimulateCommand(given: SimulateOptions, progress?: ProgressSink): string {
  const options = withRequired(given);
  const seed = parseSeed(options.seed);
  const files = loadSimulationFiles({ ...options, seed });
  const compared = options.compare === undefined ? null : comparedPolicy(options.compare, files);
  const reliability = nodeReliability(options, files);
  const facility = compileFacility(files.facility);
  const tiers = files.policy.tiers.map((t) => t.id);
  const energy = simulationSignals(files.facility, seed, options.signals);

  const replay = (label: string, policy: Policy, workload: SimJob[]): SimulationResult => {
    progress?.start(label);
    try {
      const result = simulate({
        facility,
        policy,
        workload,
        seed,
        reliability,
        ...(files.fromMs === undefined ? {} : { fromMs: files.fromMs }),
        ...(files.toMs === undefined ? {} : { toMs: files.toMs }),
        ...(progress ? { onProgress: (done: number) => progress.update(done) } : {}),
      });
      return { ...result, skipped: mergeSkipped(files.skipped, result.skipped) };
    } finally {
      progress?.stop();
    }
  };
  const report = (label: string, result: SimulationResult, workload: SimJob[]): ReportRun => {
    // Every run counts preemptions against the main policy's minimum runtime, so a comparison is like for like.
    const metrics = computeMetrics(result, { tiers, minRuntimeS: minRuntimeS(files.policy) });
    const schedule = scheduleOfSimulation(result, workload);
    // The simulator keeps to the facility; what can be wrong here is a job's gpuUtilisation label.
    const issues = checkSchedule(schedule, files.facility);
    if (issues.length > 0) throw new InputError(options.workload, issues);
    const signals = signalsOver(energy, accountingPeriod(result), `accounting run ${label}`);
    return {
      label,
      result,
      metrics,
      footprint: runFootprint(result, schedule, metrics, files.facility, signals),
    };
  };
  /** The run's policy decides deferral, so each run gets its own copy of the workload. */
  const run = (label: string, policy: Policy): ReportRun => {
    const workload = deferredWorkload(files.workload, facility, policy, energy);
    return report(label, replay(label, policy, workload), workload);
  };

  const mainLabel = policyLabel(options.policy);
  const runs = [run(mainLabel, files.policy)];
  if (compared !== null) {
    const label = compared.label === mainLabel ? `${compared.label} (compared)` : compared.label;
    if (compared.policy === null) {
      const baseline = fifoBaseline(files.policy, files.workload);
      runs.push(
        report(label, baseline.restore(replay(label, baseline.policy, baseline.workload)), files.workload),
      );
    } else {
      runs.push(run(label, compared.policy));
    }
  }

  mkdirSync(options.out, { recursive: true });
  const resultsPath = join(options.out, "results.json");
  const reportPath = join(options.out, "report.html");
  const inputs = {
    facility: options.facility,
    policy: options.policy,
    workload: options.workload,
    seed,
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  };
  writeChunks(resultsPath, resultsJsonChunks(runs, files.workload, inputs));
  const title = `${files.facility.name}: ${runs.map((r) => r.label).join(" vs ")}`;
  writeFileSync(reportPath, renderReport({ title, runs }, loadChartAssets()));
  return simulationSummary(runs, [resultsPath, reportPath]);
}

type SimulateRun = SimulateOptions & { facility: string; policy: string; workload: string; out: string };

/** A simulation needs all four; only --check goes without them. */
function withRequired(options: SimulateOptions): SimulateRun {
  const missing = (["facility", "policy", "workload", "out"] as const).filter(
    (k) => options[k] === undefined,
  );
  if (missing.length > 0)
    throw new InputError(
      "fjord simulate",
      missing.map((k) => issueAt([], `--${k} is required (unless --check is given)`)),
    );
  return options as SimulateRun;
}

/** The same MTBF and repair time for every node type; none without --mtbf. */
function nodeReliability(options: SimulateRun, files: SimulationFiles): NodeReliability[] {
  if (options.mtbf === undefined) return [];
  const mtbfS = validate(positiveDurationS, options.mtbf, "--mtbf");
  const repairS = validate(positiveDurationS, options.repair ?? "4h", "--repair");
  if (files.toMs === undefined)
    throw new InputError("--mtbf", [
      issueAt([], "node failures need --to: a job failing faster than it checkpoints would never end"),
    ]);
  return files.facility.nodeTypes.map((t) => ({ nodeTypeId: t.id, mtbfS, repairS }));
}

/** null policy = the built-in baseline. */
function comparedPolicy(compare: string, files: SimulationFiles): { label: string; policy: Policy | null } {
  if (compare === FIFO_BASELINE_NAME) return { label: FIFO_BASELINE_NAME, policy: null };
  const policy = loadPolicyFile(compare);
  checkOperatorTenants(files.facility, policy, compare);
  return { label: policyLabel(compare), policy };
}

function policyLabel(path: string): string {
  return basename(path, extname(path));
}

/** The workload reader's skips and the simulator's, one line per reason. */
function mergeSkipped(a: readonly SkippedInput[], b: readonly SkippedInput[]): SkippedInput[] {
  const counts = new Map<string, number>();
  for (const s of [...a, ...b]) counts.set(s.reason, (counts.get(s.reason) ?? 0) + s.count);
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((x, y) => (x.reason < y.reason ? -1 : x.reason > y.reason ? 1 : 0));
}

function terminalProgress(): ProgressSink {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{label} [{bar}] {percentage}% | {duration_formatted}",
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (label) => bar.start(1000, 0, { label }),
    update: (done) => bar.update(Math.round(1000 * Math.min(1, Math.max(0, done)))),
    stop: () => bar.stop(),
  };
}
