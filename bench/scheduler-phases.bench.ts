// Where a full pass spends its time: the steps of `schedule()` (src/scheduler/schedule.ts) timed one by
// one on the shared scenario. This mirrors schedule()'s body — keep the two in step. It tells apart
// the cost a long-lived SchedulerSession pays once (admitting the queue) from the cost of every pass.
import { addRunning, createCore, runPass } from "../src/scheduler/pass.ts";
import { admit } from "../src/scheduler/queue-index.ts";
import { measurePhases, median, report } from "./harness.ts";
import type { BenchContext } from "./scenario.ts";

export async function schedulerPhasesBench(ctx: BenchContext): Promise<void> {
  const { scenario: s, runs, warmup } = ctx;
  const phases = measurePhases(
    (lap) => {
      const core = createCore(s.compiled, s.policy);
      for (const r of s.running) addRunning(core, r);
      lap("load_running");
      for (const job of s.queue) {
        const a = admit(job, core.cf, core.limits, core.eligibility);
        if (a.ok) core.queue.add(a.candidate);
      }
      lap("admit_queue");
      runPass(core, { nowMs: s.nowMs, usage: s.usage });
      lap("run_pass");
    },
    { runs, warmup },
  );
  for (const [phase, samples] of phases)
    report(`scheduler.full_pass.phase.${phase}.median`, median(samples), "ms");
}
