// A full pass in a reclaim storm (reclaim-storm-scenario.ts): the facility nearly full of jobs of tiers
// borrowing beyond their guarantee, and tens of thousands of jobs queued by tiers that reclaim by
// preemption. The pass is the control loop's: a full pass on a freshly built SchedulerSession (building
// it, paid once at start-up, is not timed). For comparison, in the same run: the same pass with
// preemption switched off for every tier, which decides the same queue without a single preemption search.
//
// Environment: FJORD_BENCH_STORM_QUEUED and FJORD_BENCH_STORM_RUNNING (default 30,000 and 4,000).
import type { Policy } from "../src/model/types.ts";
import type { Decisions } from "../src/scheduler/decisions.ts";
import { addRunning, createCore, runPass } from "../src/scheduler/pass.ts";
import { SchedulerSession } from "../src/scheduler/session.ts";
import { envInt, median, percentile, report } from "./harness.ts";
import { type ReclaimStormScenario, reclaimStormScenario } from "./reclaim-storm-scenario.ts";
import type { BenchContext } from "./scenario.ts";

export async function reclaimStormBench(ctx: BenchContext): Promise<void> {
  const { runs, warmup } = ctx;
  const queued = envInt("FJORD_BENCH_STORM_QUEUED", 30_000);
  const running = envInt("FJORD_BENCH_STORM_RUNNING", 4_000);
  const t0 = performance.now();
  const s = reclaimStormScenario({ queued, running });
  report("scenario.reclaim_storm.setup", performance.now() - t0, "ms");
  report("scenario.reclaim_storm.queued_jobs", s.queued.length, "jobs");
  report("scenario.reclaim_storm.running_jobs", s.running.length, "jobs");
  report("scenario.reclaim_storm.busy_gpus", (100 * s.heldGpus) / s.facilityGpus, "percent");
  for (const [tierId, gpus] of s.heldGpusByTier)
    report(`scenario.reclaim_storm.held_gpus.${tierId}`, gpus, "gpus");

  const storm = fullPasses(s, s.policy, runs, warmup);
  report("scheduler.reclaim_storm.full_pass.median", median(storm.samples), "ms");
  report("scheduler.reclaim_storm.full_pass.p95", percentile(storm.samples, 0.95), "ms");
  report("scheduler.reclaim_storm.full_pass.started", storm.last.start.length, "jobs");
  report("scheduler.reclaim_storm.full_pass.preempted", storm.last.preempt.length, "jobs");
  // The search's work, free of the machine's noise: places planned in the pass.
  report("scheduler.reclaim_storm.full_pass.planned_places", plannedPlaces(s), "places");
  const byReason = new Map<string, number>();
  for (const w of storm.last.waiting) byReason.set(w.reason.kind, (byReason.get(w.reason.kind) ?? 0) + 1);
  for (const [kind, count] of [...byReason].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    report(`scheduler.reclaim_storm.full_pass.waiting.${kind}`, count, "jobs");

  const noPreemption: Policy = {
    ...s.policy,
    tiers: s.policy.tiers.map((t) => ({ ...t, reclaimByPreemption: false })),
  };
  const calm = fullPasses(s, noPreemption, runs, warmup);
  report("scheduler.reclaim_storm.no_preemption.full_pass.median", median(calm.samples), "ms");
  // > 1: what reclaiming by preemption adds to the same pass.
  report(
    "scheduler.reclaim_storm.full_pass.vs_no_preemption",
    median(storm.samples) / median(calm.samples),
    "ratio",
  );
}

/** Places the preemption search plans in one full pass (the pass a session runs, on a core built alike). */
function plannedPlaces(s: ReclaimStormScenario): number {
  const core = createCore(s.compiled, s.policy);
  for (const r of s.running) addRunning(core, r);
  const admitted = s.queued.map((j) => core.admissions.admit(j)).flatMap((a) => (a.ok ? [a.candidate] : []));
  core.queue.addAll(admitted);
  runPass(core, { nowMs: s.nowMs, usage: s.usage });
  return core.preemptionFinder.plannedUnits;
}

/** Times one full pass per run, each on a session built (untimed) in the state before any pass. */
function fullPasses(
  s: ReclaimStormScenario,
  policy: Policy,
  runs: number,
  warmup: number,
): { samples: number[]; last: Decisions } {
  const samples: number[] = [];
  let last: Decisions | undefined;
  for (let i = 0; i < warmup + runs; i++) {
    const session = new SchedulerSession(s.compiled, policy, s.running, s.usage);
    session.submitAll(s.queued);
    const t0 = performance.now();
    last = session.pass(s.nowMs);
    if (i >= warmup) samples.push(performance.now() - t0);
  }
  return { samples, last: last! };
}
