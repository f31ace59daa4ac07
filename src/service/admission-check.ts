// Refuses, at submission, jobs that could never run here: an unknown tenant, a residency rule or GPU model
// no site satisfies, more GPUs or nodes than any allowed place has, more GPUs than the tenant's quota. It
// asks the scheduler's own admission (on a scheduler of its own that holds no work) so the API and the
// scheduler can never disagree.
import { closest, distance } from "fastest-levenshtein";
import type { Job, Policy } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import type { WaitingReason } from "../scheduler/decisions.ts";
import { siteAllows } from "../scheduler/eligibility.ts";
import { describeWaiting } from "../scheduler/explain.ts";
import { type PolicyLimits, resolvePolicy } from "../scheduler/policy-limits.ts";
import { totalGpus } from "../scheduler/request.ts";
import { SchedulerSession } from "../scheduler/session.ts";

/** Edits (after case) up to which an unknown GPU model is taken for a typo of a known one. */
const MAX_TYPO_EDITS = 2;

export type AdmissionCheck = { ok: true } | { ok: false; field: string; reason: string };

export class AdmissionChecker {
  private readonly session: SchedulerSession;
  private readonly limits: PolicyLimits;

  constructor(
    private readonly facility: CompiledFacility,
    private readonly policy: Policy,
    /** Sites whose cluster runs only jobs that give a command (Slurm sites with no default command). */
    private readonly needCommand: ReadonlySet<string> = new Set(),
  ) {
    this.session = new SchedulerSession(facility, policy);
    this.limits = resolvePolicy(policy, facility.facilityGpus);
  }

  check(job: Job): AdmissionCheck {
    const outcome = this.session.submit(job);
    this.session.cancel(job.id);
    if (!outcome.queued) {
      const reason = describeWaiting(outcome.reason, null);
      return {
        ok: false,
        field: fieldOf(outcome.reason, job),
        reason: isModelMiss(outcome.reason) ? `${reason}; ${this.modelHint(job)}` : reason,
      };
    }
    const command = this.commandCheck(job);
    return command.ok ? this.quotaCheck(job) : command;
  }

  /**
   * A job without a command is refused when any site it may run at needs one: the scheduler could place it
   * there, and its start could only fail. Refusing it now names the field; waiting would hide why.
   */
  private commandCheck(job: Job): AdmissionCheck {
    if (job.command != null || this.needCommand.size === 0) return { ok: true };
    const cf = this.facility;
    const sites = new Set(
      cf.pools
        .filter(
          (p) =>
            siteAllows(cf, p.siteIndex, job) === null &&
            (job.gpuModels === null || job.gpuModels.includes(p.nodeType.gpuModel)),
        )
        .map((p) => cf.sites[p.siteIndex]!.id)
        .filter((id) => this.needCommand.has(id)),
    );
    if (sites.size === 0) return { ok: true };
    return {
      ok: false,
      field: "command",
      reason:
        `is required: site${sites.size === 1 ? "" : "s"} ${[...sites].sort().join(", ")}, where this job may run, ` +
        `${sites.size === 1 ? "runs" : "run"} jobs on a Slurm cluster with no default command; give the command, or a residency or GPU model that leaves ` +
        (sites.size === 1 ? "it" : "them") +
        " out",
    };
  }

  /**
   * The scheduler holds a job larger than its tenant's whole hard quota, or than its tier may ever hold, as
   * "never runs" at every pass rather than at admission; the API refuses it. Quotas bind at facility-operated sites only, so a tenant with a
   * site of its own is left to the scheduler.
   */
  private quotaCheck(job: Job): AdmissionCheck {
    const tenant = this.policy.tenants.find((t) => t.id === job.tenantId);
    if (tenant === undefined) return { ok: true };
    if (this.facility.siteOwner.includes(tenant.id)) return { ok: true };
    const gpus = totalGpus(job.shape);
    const field = job.shape.kind === "gang" ? "nodes" : "gpus";
    // A borrowable quota lets a larger job run on idle GPUs, so only a hard one refuses it.
    if (tenant.quotaGpus !== null && tenant.quotaMode !== "borrowable" && gpus > tenant.quotaGpus) {
      const reason: WaitingReason = {
        kind: "tenant-quota",
        tenantId: tenant.id,
        usedGpus: 0,
        quotaGpus: tenant.quotaGpus,
        gpus,
      };
      return { ok: false, field, reason: describeWaiting(reason, null) };
    }
    // A tier never holds more than its guarantee plus its borrowing limit at facility-operated sites.
    const t = this.limits.tierIndex.get(tenant.tierId);
    if (t === undefined) return { ok: true };
    const guaranteedGpus = this.limits.guaranteedGpus[t]!;
    const limitGpus = this.limits.borrowingLimitGpus[t]!;
    if (gpus <= guaranteedGpus + limitGpus) return { ok: true };
    const reason: WaitingReason = {
      kind: "borrowing-limit",
      tierId: tenant.tierId,
      guaranteedGpus,
      borrowedGpus: 0,
      limitGpus,
      gpus,
    };
    return { ok: false, field, reason: describeWaiting(reason, null) };
  }

  /**
   * The model each unknown one may have meant (the same letters in another case, else the nearest spelling
   * within MAX_TYPO_EDITS), and the models there are.
   */
  private modelHint(job: Job): string {
    const cf = this.facility;
    const models = [
      ...new Set(
        cf.pools.filter((p) => siteAllows(cf, p.siteIndex, job) === null).map((p) => p.nodeType.gpuModel),
      ),
    ].sort();
    const unknown = (job.gpuModels ?? []).filter((m) => !models.includes(m));
    const lower = models.map((m) => m.toLowerCase());
    const meant = new Set<string>();
    for (const m of unknown) {
      if (models.length === 0) break;
      const nearest = closest(m.toLowerCase(), lower);
      if (distance(m.toLowerCase(), nearest) <= MAX_TYPO_EDITS) meant.add(models[lower.indexOf(nearest)]!);
    }
    return (
      (meant.size > 0 ? `did you mean ${[...meant].join(" or ")}? ` : "") +
      `the allowed sites have ${models.length > 0 ? models.join(", ") : "no GPUs"}`
    );
  }
}

/** Sites the job may use exist, but none has the GPU model it names. */
function isModelMiss(reason: WaitingReason): boolean {
  return reason.kind === "no-eligible-site" && reason.detail.includes("GPU model");
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
      if (isModelMiss(reason)) return "gpuModel";
      if (job.residency !== null) return "residency";
      if (job.gpuModels !== null) return "gpuModel";
      if (job.maxLatency !== null) return "maxLatency";
      return "tenant";
    default:
      return "";
  }
}
