// Jobs as `fjord submit` and `fjord status` print them: what was submitted, a list, or one job in detail
// with where it runs (site and jurisdictions), its times, restarts and GPU-hours.

import type { z } from "zod";
import type { facilityWireSchema } from "../../api/schemas/facility.ts";
import type { JobWire } from "../../api/schemas/job.ts";
import { formatDurationS } from "../../model/duration.ts";
import { formatCount, formatInt, formatOneDecimal, formatUtcMinute } from "../../model/format.ts";
import { type Cell, fieldTable, right, titledTable } from "./plain-table.ts";

export type FacilityWire = z.output<typeof facilityWireSchema>;

export interface SubmittedJob {
  /** The job's id in its file; null for a job given as flags. */
  entry: string | null;
  job: JobWire;
  /** false when the Idempotency-Key had already created it: this run returned the earlier job. */
  created: boolean;
}

export function submittedTable(submitted: readonly SubmittedJob[]): string {
  const fromFile = submitted.some((s) => s.entry !== null);
  const head = [...(fromFile ? ["Entry"] : []), "Job", "Tenant", "GPUs", "State", "Result"];
  const rows = submitted.map((s): Cell[] => [
    ...(fromFile ? [s.entry ?? ""] : []),
    s.job.id,
    s.job.tenant,
    right(formatInt(s.job.gpus)),
    s.job.state,
    s.created ? "submitted" : "already submitted",
  ]);
  const created = submitted.filter((s) => s.created).length;
  return (
    `${titledTable("Jobs", head, rows)}` +
    `${formatInt(created)} submitted, ${formatInt(submitted.length - created)} already submitted\n`
  );
}

export function jobListTable(jobs: readonly JobWire[]): string {
  return titledTable(
    "Jobs",
    ["Job", "Name", "Tenant", "State", "GPUs", "Site", "Submitted", "Started"],
    jobs.map((job) => [
      job.id,
      job.name,
      job.tenant,
      job.state,
      right(formatInt(job.gpus)),
      job.allocation?.siteId ?? "",
      minute(job.submittedAt),
      job.startedAt === null ? "" : minute(job.startedAt),
    ]),
  );
}

/** Most node ids listed in the detail; a gang of hundreds of nodes would bury everything else. */
const NODES_LISTED = 4;

/** One job in detail; `facility` names the jurisdictions of its site (null when it has never run). */
export function jobDetail(job: JobWire, facility: FacilityWire | null): string {
  const rows: [string, string][] = [
    ["Job", job.id],
    ["Name", job.name],
    ["Tenant", job.tenant],
    ["State", job.state],
    ["Size", size(job)],
    ["GPU models", job.gpuModels === null ? "any" : job.gpuModels.join(", ")],
  ];
  if (job.allocation !== null) {
    const site = facility?.sites.find((s) => s.id === job.allocation?.siteId);
    const where =
      site === undefined ? job.allocation.siteId : `${site.id} (${site.jurisdictions.join(", ")})`;
    rows.push([job.state === "running" ? "Site" : "Last site", where]);
    rows.push(["Nodes", nodes(job.allocation.nodes.map((n) => n.nodeId))]);
  }
  rows.push(["Residency", job.residency === null ? "anywhere" : job.residency.join(", ")]);
  if (job.maxLatency !== null)
    rows.push(["Max latency", `${job.maxLatency.ms} ms to ${job.maxLatency.region}`]);
  rows.push(
    ["Topology", job.topology],
    ["Priority", String(job.priority)],
    ["Runtime", `estimated ${formatDurationS(job.estimatedRuntimeS)}, limit ${formatDurationS(job.limitS)}`],
    [
      "Checkpoints",
      job.checkpointIntervalS === null ? "none" : `every ${formatDurationS(job.checkpointIntervalS)}`,
    ],
  );
  if (job.notBefore !== null) rows.push(["Not before", minute(job.notBefore)]);
  if (job.deadline !== null) rows.push(["Deadline", minute(job.deadline)]);
  if (job.deferral !== null) rows.push(["Deferral", deferral(job.deferral)]);
  rows.push(["Submitted", `${minute(job.submittedAt)} by ${job.submittedBy}`]);
  if (job.startedAt !== null) rows.push(["Started", minute(job.startedAt)]);
  if (job.endedAt !== null) rows.push(["Ended", minute(job.endedAt)]);
  rows.push(
    ["Restarts", formatInt(job.restarts)],
    ["GPU-hours (ended runs)", formatOneDecimal(job.gpuHoursUsed)],
  );
  const labels = Object.entries(job.labels);
  if (labels.length > 0) rows.push(["Labels", labels.map(([k, v]) => `${k}=${v}`).join(", ")]);
  return fieldTable(rows);
}

function deferral(d: NonNullable<JobWire["deferral"]>): string {
  if (!d.deferred) return "not deferred: waiting would not save enough, or there were no signals";
  const cleaner = d.signal === "carbon" ? "cleaner" : "cheaper";
  return `deferred to ${minute(d.until)}: ${Math.round(d.saving * 100)} % ${cleaner} hours${d.deadline === null ? "" : `, ending by ${minute(d.deadline)}`}`;
}

function size(job: JobWire): string {
  if (job.nodes === null || job.gpusPerNode === null) return formatCount(job.gpus, "GPU");
  return `${formatCount(job.nodes, "node")} × ${formatCount(job.gpusPerNode, "GPU")} (${formatCount(job.gpus, "GPU")}, all or nothing)`;
}

function nodes(ids: readonly string[]): string {
  const listed = ids.slice(0, NODES_LISTED).join(", ");
  const more = ids.length > NODES_LISTED ? `, … ${formatInt(ids.length - NODES_LISTED)} more` : "";
  return `${formatCount(ids.length, "node")}: ${listed}${more}`;
}

function minute(iso: string): string {
  return formatUtcMinute(Date.parse(iso));
}
