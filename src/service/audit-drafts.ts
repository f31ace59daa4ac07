// Audit entries the control plane writes for its own decisions, one shape for each kind of event, so an
// exported trail reads the same whoever caused the change.
import type { Facility, Job } from "../model/types.ts";
import type { StartDecision } from "../scheduler/decisions.ts";
import type { AuditDraft } from "../store/records.ts";

export function jobDraft(
  atMs: number,
  actor: string,
  action: string,
  job: Job,
  details: Record<string, unknown> = {},
): AuditDraft {
  return { atMs, actor, action, tenantId: job.tenantId, objectType: "job", objectId: job.id, details };
}

/** A start names where the job runs and the jurisdictions that place lies in: the residency evidence. */
export function startDraft(atMs: number, facility: Facility, job: Job, start: StartDecision): AuditDraft {
  const site = facility.sites.find((s) => s.id === start.allocation.siteId);
  return jobDraft(atMs, "scheduler", "job.start", job, {
    siteId: start.allocation.siteId,
    jurisdictions: site?.jurisdictions ?? [],
    nodes: start.allocation.nodes.map((n) => n.nodeId),
    gpus: start.allocation.nodes.reduce((sum, n) => sum + n.gpus.length, 0),
    borrowing: start.borrowing,
    backfilled: start.backfilled,
  });
}
