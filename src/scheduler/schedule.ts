// The scheduling pass as a pure function of (facility, policy, queue, running jobs, usage, now): it builds
// a fresh scheduler core from its input, runs one full pass (pass.ts) and returns the decisions.
import type { Job, Policy, RunningJob, TenantUsage } from "../model/types.ts";
import type { Candidate } from "./candidate.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { Decisions, WaitingDecision } from "./decisions.ts";
import { addRunning, createCore, reservationsOf, runPass } from "./pass.ts";

export interface SchedulingInput {
  facility: CompiledFacility;
  policy: Policy;
  queue: Job[];
  running: RunningJob[];
  usage: TenantUsage[];
  nowMs: number;
}

export function schedule(input: SchedulingInput): Decisions {
  const core = createCore(input.facility, input.policy);
  for (const r of input.running) addRunning(core, r);
  const never: WaitingDecision[] = [];
  const admitted: Candidate[] = [];
  for (const job of input.queue) {
    const a = core.admissions.admit(job);
    if (a.ok) admitted.push(a.candidate);
    else never.push({ jobId: job.id, reason: a.reason, estimatedStartAtMs: null });
  }
  core.queue.addAll(admitted);
  const outcome = runPass(core, { nowMs: input.nowMs, usage: input.usage });
  return {
    nowMs: input.nowMs,
    start: outcome.start,
    preempt: outcome.preempt,
    reservations: reservationsOf(core, outcome.reservations),
    waiting: [...never, ...outcome.waiting],
  };
}
