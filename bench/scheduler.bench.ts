// Full scheduling pass on the default facility: compile time, pass time (median, p95), what the pass
// decided, and the same queue through a naive FIFO first-fit scheduler for scale.
import type { Allocation } from "../src/model/types.ts";
import { compileFacility } from "../src/scheduler/compile-facility.ts";
import type { Decisions } from "../src/scheduler/decisions.ts";
import { type SchedulingInput, schedule } from "../src/scheduler/schedule.ts";
import { fifoFirstFit } from "./baseline-fifo.ts";
import { measure, median, percentile, report } from "./harness.ts";
import type { BenchContext } from "./scenario.ts";

export async function schedulerBench(ctx: BenchContext): Promise<void> {
  const { scenario: s, runs, warmup } = ctx;
  const timing = { runs, warmup };

  const compile = measure(() => compileFacility(s.facility), timing);
  report("facility.compile.median", median(compile.samples), "ms");

  const input: SchedulingInput = {
    facility: s.compiled,
    policy: s.policy,
    queue: s.queue,
    running: s.running,
    usage: s.usage,
    nowMs: s.nowMs,
  };
  const pass = measure(() => schedule(input), timing);
  const passMedian = median(pass.samples);
  report("scheduler.full_pass.median", passMedian, "ms");
  report("scheduler.full_pass.p95", percentile(pass.samples, 0.95), "ms");
  report("scheduler.full_pass.min", Math.min(...pass.samples), "ms");
  reportDecisions(pass.last);

  const fifo = measure(() => fifoFirstFit(input), timing);
  const fifoMedian = median(fifo.samples);
  report("baseline.fifo_first_fit.median", fifoMedian, "ms");
  report("baseline.fifo_first_fit.started", fifo.last.start.length, "jobs");
  report("baseline.fifo_first_fit.started_gpus", startedGpus(fifo.last), "gpus");
  report("baseline.fifo_first_fit.waiting", fifo.last.waiting.length, "jobs");
  // > 1: the real pass costs that many times the naive one on the same input.
  report("scheduler.full_pass.vs_fifo_baseline", passMedian / fifoMedian, "ratio");
}

function startedGpus(d: { start: { allocation: Allocation }[] }): number {
  let gpus = 0;
  for (const st of d.start) for (const n of st.allocation.nodes) gpus += n.gpus.length;
  return gpus;
}

function reportDecisions(d: Decisions): void {
  report("scheduler.full_pass.started", d.start.length, "jobs");
  report("scheduler.full_pass.started_gpus", startedGpus(d), "gpus");
  report("scheduler.full_pass.waiting", d.waiting.length, "jobs");
  report("scheduler.full_pass.reservations", d.reservations.length, "jobs");
  report("scheduler.full_pass.preempted", d.preempt.length, "jobs");
  // Why jobs wait, so a change in the mix (not just in speed) shows up between runs.
  const byReason = new Map<string, number>();
  for (const w of d.waiting) byReason.set(w.reason.kind, (byReason.get(w.reason.kind) ?? 0) + 1);
  for (const [kind, count] of [...byReason].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    report(`scheduler.full_pass.waiting.${kind}`, count, "jobs");
}
