// The hourly signals `fjord simulate` defers jobs and accounts runs with: a signals file (--signals), or the
// seeded synthetic series `fjord report` and `fjord serve` use (--seed). A run whose policy has a `deferral`
// section replays its workload with deferral decided for every job that opted in, as the live service
// decides it at submission; every other run replays the workload as read.
import { deferJob } from "../accounting/defer-job.ts";
import { deferralWindow, optedIntoDeferral } from "../accounting/deferral-decision.ts";
import type { Period } from "../accounting/period.ts";
import type { Signals } from "../accounting/signals.ts";
import { type EnergyContext, fileEnergyContext, syntheticEnergyContext } from "../api/usage-signals.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import type { Facility, Policy } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import type { SimJob } from "../simulator/types.ts";

export function simulationSignals(facility: Facility, seed: number, path: string | undefined): EnergyContext {
  return path === undefined ? syntheticEnergyContext(facility, seed) : fileEnergyContext(path, facility);
}

/** The signals over the period; an InputError naming --signals when they do not cover it. */
export function signalsOver(energy: EnergyContext, period: Period, purpose: string): Signals {
  const reading = energy.signalsFor(period);
  if (!reading.ok) throw new InputError("--signals", [issueAt([], `${purpose}: ${reading.problem}`)]);
  return reading.signals;
}

/** The workload as the policy's deferral would have it; the same array when the policy defers nothing. */
export function deferredWorkload(
  workload: SimJob[],
  facility: CompiledFacility,
  policy: Policy,
  energy: EnergyContext,
): SimJob[] {
  const deferral = policy.deferral;
  if (deferral === undefined) return workload;
  let span: Period | null = null;
  for (const { job } of workload) {
    if (!optedIntoDeferral(job)) continue;
    const w = deferralWindow(job, deferral);
    span = span === null ? w : { fromMs: Math.min(span.fromMs, w.fromMs), toMs: Math.max(span.toMs, w.toMs) };
  }
  if (span === null) return workload;
  const signals = signalsOver(energy, span, "deferral needs the hours its jobs could wait through");
  return workload.map((s) => {
    const job = deferJob(s.job, facility, policy, signals);
    return job === s.job ? s : { ...s, job };
  });
}
