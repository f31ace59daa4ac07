// Entry point of `npm run bench` (node --expose-gc --import tsx bench/run.ts; --expose-gc serves suites
// that ask for gcBetweenRuns). Builds the shared scenario once, when the first suite asks for it (the storm
// suite brings its own), runs every suite in `benchmarks`, and prints `bench <name> <value> <unit>` lines.
//
// Environment: FJORD_BENCH_QUEUE (queued jobs, default 50,000), FJORD_BENCH_RUNS (timed runs per
// measurement, default 15, at least 7), FJORD_BENCH_WARMUP (untimed runs first, default 3),
// FJORD_BENCH_ONLY (comma-separated suite names, e.g. "scheduler" to profile one suite alone),
// FJORD_BENCH_PLACEMENT_SEEDS for the placement suite (bench/placement.bench.ts),
// FJORD_BENCH_SIM_SCALE and FJORD_BENCH_SIM_ONLY for the simulator suite (bench/simulate.bench.ts),
// FJORD_BENCH_API_SECONDS and FJORD_BENCH_POSTGRES_URL for the API suite (bench/api.bench.ts),
// FJORD_BENCH_STORM_QUEUED and FJORD_BENCH_STORM_RUNNING for the storm suite (bench/reclaim-storm.bench.ts,
// bench/restart-to-ready.bench.ts, which also reads FJORD_BENCH_RESTARTS and FJORD_BENCH_POSTGRES_URL);
// FJORD_BENCH_ONLY=slurm runs the side-by-side comparison with Slurm alone (bench/slurm-side-by-side.bench.ts).
import { pathToFileURL } from "node:url";
import { apiBench } from "./api.bench.ts";
import { envInt, report } from "./harness.ts";
import { placementBench } from "./placement.bench.ts";
import { reclaimStormBench } from "./reclaim-storm.bench.ts";
import { restartToReadyBench } from "./restart-to-ready.bench.ts";
import { type BenchContext, type Benchmark, buildScenario, type Scenario } from "./scenario.ts";
import { schedulerBench } from "./scheduler.bench.ts";
import { sessionBench } from "./session.bench.ts";
import { simulateBench } from "./simulate.bench.ts";
import { slurmSideBySideBench } from "./slurm-side-by-side.bench.ts";

/** The suites `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [
  { name: "scheduler", run: schedulerBench },
  { name: "session", run: sessionBench },
  { name: "simulate", run: simulateBench },
  { name: "api", run: apiBench },
  // The allocation experiment on the openb traces: allocation rates of Fjord's placement and the others.
  { name: "placement", run: async () => placementBench() },
  {
    // The reclaim storm: the scheduler's full pass, then the service restarted on a store holding it.
    name: "storm",
    run: async (ctx) => {
      await reclaimStormBench(ctx);
      await restartToReadyBench(ctx);
    },
  },
  // Slurm alone against Fjord in front of Slurm on the same job stream: real daemons, minutes of wall
  // time, root and Debian's Slurm packages (docs/slurm.md): only with FJORD_BENCH_ONLY=slurm.
  { name: "slurm", run: async () => slurmSideBySideBench() },
];

/** Suites that run only when FJORD_BENCH_ONLY names them. */
const ASKED_FOR_ONLY = new Set(["slurm"]);

export async function main(): Promise<void> {
  const queueSize = envInt("FJORD_BENCH_QUEUE", 50_000);
  const runs = Math.max(7, envInt("FJORD_BENCH_RUNS", 15));
  const warmup = envInt("FJORD_BENCH_WARMUP", 3);

  const only = process.env.FJORD_BENCH_ONLY?.split(",").filter((name) => name !== "");
  const unknown = only?.filter((name) => !benchmarks.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`FJORD_BENCH_ONLY names unknown suites: ${unknown.join(", ")}`);
  report("config.timed_runs", runs, "runs");

  let scenario: Scenario | undefined;
  const ctx: BenchContext = {
    get scenario() {
      scenario ??= sharedScenario(queueSize);
      return scenario;
    },
    runs,
    warmup,
  };
  // The Slurm comparison needs root and Slurm's daemons and takes minutes: only when asked for by name.
  const chosen = (name: string) => (only?.length ? only.includes(name) : !ASKED_FOR_ONLY.has(name));
  for (const b of benchmarks) if (chosen(b.name)) await b.run(ctx);

  // maxRSS is in KiB: the high-water mark of the whole process, setup included.
  report("process.peak_rss", process.resourceUsage().maxRSS / 1024, "MiB");
  report("total.wall", process.uptime(), "s");
}

/** The shared scenario, built and described once, for the suites that use it. */
function sharedScenario(queueSize: number): Scenario {
  const t0 = performance.now();
  const scenario = buildScenario(queueSize);
  report("scenario.setup", performance.now() - t0, "ms");
  report("facility.load_yaml", scenario.loadFacilityMs, "ms");
  report("scenario.gpus", scenario.upGpus, "gpus");
  report("scenario.running_jobs", scenario.running.length, "jobs");
  report("scenario.busy_gpus", (100 * scenario.heldGpus) / scenario.upGpus, "percent");
  report("scenario.queued_jobs", scenario.queue.length, "jobs");
  return scenario;
}

// Run only when executed, not when a tool imports the suite list.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
