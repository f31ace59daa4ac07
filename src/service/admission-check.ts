// Refuses, at submission, jobs that could never run here: an unknown tenant, a residency rule or GPU model
// no site satisfies, more GPUs or nodes than any allowed place has. It asks the scheduler's own admission
// (on a scheduler of its own that holds no work) so the API and the scheduler can never disagree.
import type { Job, Policy } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import type { WaitingReason } from "../scheduler/decisions.ts";
import { describeWaiting } from "../scheduler/explain.ts";
import { SchedulerSession } from "../scheduler/session.ts";

export type AdmissionCheck = { ok: true } | { ok: false; field: string; reason: string };

export class AdmissionChecker {
  private readonly session: SchedulerSession;

  constructor(facility: CompiledFacility, policy: Policy) {
    this.session = new SchedulerSession(facility, policy);
  }

  check(job: Job): AdmissionCheck {
    const outcome = this.session.submit(job);
    this.session.cancel(job.id);
    if (outcome.queued) return { ok: true };
    return { ok: false, field: fieldOf(outcome.reason, job), reason: describeWaiting(outcome.reason, null) };
  }
}

/** The submission field a refusal is about, so the client can point at it. */
function fieldOf(reason: WaitingReason, job: Job): string {
  switch (reason.kind) {
    case "unknown-tenant":
      return "tenant";
    case "too-few-nodes":
      return "nodes";
    case "too-large":
      return job.shape.kind === "gang" ? "nodes" : "gpus";
    case "no-eligible-site":
      if (reason.detail.includes("GPU model")) return "gpuModel";
      if (job.residency !== null) return "residency";
      if (job.gpuModels !== null) return "gpuModel";
      if (job.maxLatency !== null) return "maxLatency";
      return "tenant";
    default:
      return "";
  }
}
