// The human report's tables: jobs starting, jobs preempted, jobs waiting (with the sentence that says
// why), in the scheduler's order, which is its order of service. Plain text without colour, so it reads
// the same in a terminal, a CI log and a test.
import Table from "cli-table3";
import { formatInt, formatOneDecimal } from "../../model/format.ts";
import type { Job } from "../../model/types.ts";
import type { Decisions } from "../../scheduler/decisions.ts";
import { describeWaiting, startFlags } from "../../scheduler/explain.ts";
import { totalGpus } from "../../scheduler/request.ts";

/** What the decisions refer to by id. */
export interface DecisionLookup {
  /** Queued and running jobs by id. */
  jobs: ReadonlyMap<string, Job>;
  tierOfTenant: ReadonlyMap<string, string>;
}

/** Wide enough for most sentences on two lines, narrow enough for a 132-column terminal. */
const SENTENCE_WIDTH = 60;

export function renderDecisionTables(decisions: Decisions, lookup: DecisionLookup): string {
  const sections = [
    section(
      "Start",
      ["Job", "Tenant", "Tier", "GPUs", "Site", "Flags"],
      decisions.start.map((s) => [
        ...jobCells(s.jobId, lookup),
        s.allocation.siteId,
        startFlags(s).join(", "),
      ]),
    ),
    section(
      "Preempt",
      ["Job", "Tenant", "Tier", "GPUs", "For", "Lost GPU-h"],
      decisions.preempt.map((p) => [
        ...jobCells(p.jobId, lookup),
        p.byJobId,
        right(formatOneDecimal(p.lostGpuS / 3600)),
      ]),
    ),
    section(
      "Waiting",
      ["Job", "Tenant", "Tier", "GPUs", "Why"],
      decisions.waiting.map((w) => [
        ...jobCells(w.jobId, lookup),
        describeWaiting(w.reason, w.estimatedStartAtMs),
      ]),
      SENTENCE_WIDTH,
    ),
  ];
  return sections.join("\n");
}

/** `13 start, 0 preempted, 3 waiting`. */
export function summaryLine(decisions: Decisions): string {
  return (
    `${formatInt(decisions.start.length)} start, ${formatInt(decisions.preempt.length)} preempted, ` +
    `${formatInt(decisions.waiting.length)} waiting`
  );
}

type Cell = string | { content: string; hAlign: "right" };

function right(content: string): Cell {
  return { content, hAlign: "right" };
}

/** Job, tenant, tier, GPUs; `?` where the id is not among the inputs (which would be a scheduler bug). */
function jobCells(jobId: string, lookup: DecisionLookup): Cell[] {
  const job = lookup.jobs.get(jobId);
  if (job === undefined) return [jobId, "?", "?", right("?")];
  return [
    jobId,
    job.tenantId,
    lookup.tierOfTenant.get(job.tenantId) ?? "?",
    right(formatInt(totalGpus(job.shape))),
  ];
}

/** A titled table, or just `<title>: none` when there are no rows. The last column wraps at `lastWidth`. */
function section(title: string, head: string[], rows: Cell[][], lastWidth?: number): string {
  if (rows.length === 0) return `${title}: none\n`;
  const table = new Table({
    head,
    // No colours (stable text in logs and tests); compact: no rule between rows.
    style: { head: [], border: [], compact: true },
    ...(lastWidth === undefined
      ? {}
      : {
          // Padding is inside the width; null leaves a column to fit its content.
          colWidths: head.map((_, i) => (i === head.length - 1 ? lastWidth + 2 : null)),
          wordWrap: true,
        }),
  });
  table.push(...rows);
  return `${title} (${formatInt(rows.length)})\n${table.toString()}\n`;
}
