// The scheduler as a control loop runs it: a SchedulerSession that keeps occupancy and the ordered queue.
// - session.build: admit the queue and record the running jobs (paid once, at start-up);
// - session.full_pass: a full pass on a built session (what a timer-driven pass costs);
// - incremental_pass: one job completes, one arrives, and a quick pass examines the head of each phase.
import type { Job } from "../src/model/types.ts";
import { SchedulerSession } from "../src/scheduler/session.ts";
import { syntheticQueue } from "../src/workloads/synthetic-queue.ts";
import { measure, median, percentile, report } from "./harness.ts";
import type { BenchContext, Scenario } from "./scenario.ts";

/** Jobs a quick pass examines per phase: enough to fill what one completion frees, many times over. */
export const QUICK_PASS_DEPTH = 256;

function build(s: Scenario): SchedulerSession {
  const session = new SchedulerSession(s.compiled, s.policy, s.running, s.usage);
  session.submitAll(s.queue);
  return session;
}

export async function sessionBench(ctx: BenchContext): Promise<void> {
  const { scenario: s, runs, warmup } = ctx;

  const built = measure(() => build(s), { runs, warmup });
  report("scheduler.session.build.median", median(built.samples), "ms");

  // Each full pass needs a session in the state before any pass; building it is not timed.
  const fullSamples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const session = build(s);
    const t0 = performance.now();
    session.pass(s.nowMs);
    if (i >= warmup) fullSamples.push(performance.now() - t0);
  }
  report("scheduler.session.full_pass.median", median(fullSamples), "ms");
  report("scheduler.session.full_pass.p95", percentile(fullSamples, 0.95), "ms");

  // Steady state: after a full pass, events arrive one at a time.
  const session = build(s);
  session.pass(s.nowMs);
  const incrementalRuns = runs * 100;
  const incrementalWarmup = warmup * 100;
  const arrivals: Job[] = syntheticQueue({
    seed: 77,
    count: incrementalRuns + incrementalWarmup,
    tenants: s.policy.tenants,
    nowMs: s.nowMs,
    gpuModels: s.compiled.gpuModels,
  }).map((j) => ({ ...j, id: `arrival-${j.id}` }));
  let step = 0;
  let nowMs = s.nowMs;
  const incremental = measure(
    () => {
      nowMs += 1_000;
      const running = session.runningJobIds();
      session.finish(running[(step * 7919) % running.length]!);
      session.submit(arrivals[step++]!);
      return session.pass(nowMs, { maxJobsPerPhase: QUICK_PASS_DEPTH });
    },
    { runs: incrementalRuns, warmup: incrementalWarmup },
  );
  report("scheduler.incremental_pass.median", median(incremental.samples), "ms");
  report("scheduler.incremental_pass.p95", percentile(incremental.samples, 0.95), "ms");
  report("scheduler.incremental_pass.depth", QUICK_PASS_DEPTH, "jobs");
  report("scheduler.incremental_pass.runs", incrementalRuns, "runs");
}
