// What `fjord audit verify` and `fjord audit export --out` print: the chain's verdict with the first bad
// entry as stored, and a summary of an exported trail (who acted on the tenant's work, where it ran).
import type { z } from "zod";
import type { auditEntryWireSchema, auditExportSchema } from "../../api/schemas/audit.ts";
import type { ChainVerdict } from "../../audit/hash-chain.ts";
import { formatInt, formatUtcMinute } from "../../model/format.ts";
import { right, titledTable } from "./plain-table.ts";

export type AuditEntryWire = z.output<typeof auditEntryWireSchema>;
export type AuditExportWire = z.output<typeof auditExportSchema>;

/** `where` names the database checked; `badEntry` is the first bad entry as stored (null if it is missing). */
export function verdictText(verdict: ChainVerdict, badEntry: AuditEntryWire | null, where: string): string {
  if (verdict.ok) {
    const { seq, hash } = verdict.head;
    return (
      `audit log intact: ${formatInt(verdict.entries)} entries in ${where}\n` +
      `chain head: entry ${formatInt(seq)}, hash ${hash}\n`
    );
  }
  const { problem } = verdict;
  const lines = [
    `audit log BROKEN in ${where}`,
    `first bad entry: ${problem.seq} (${problem.kind}): ${problem.reason}`,
  ];
  if (badEntry !== null)
    lines.push(
      `entry ${badEntry.seq} as stored: ${badEntry.at} ${badEntry.actor} ${badEntry.action} ` +
        `${badEntry.objectType} ${badEntry.objectId}` +
        (badEntry.tenant === null ? "" : ` (tenant ${badEntry.tenant})`),
    );
  return `${lines.join("\n")}\n`;
}

export function exportSummary(trail: AuditExportWire, writtenTo: string): string {
  const first = trail.entries[0];
  const last = trail.entries.at(-1);
  const period =
    first === undefined || last === undefined
      ? ""
      : `, ${formatUtcMinute(Date.parse(first.at))} → ${formatUtcMinute(Date.parse(last.at))}`;
  const actors = titledTable(
    "Actors",
    ["Actor", "Actions", "First", "Last"],
    trail.actors.map((a) => [
      a.actor,
      Object.entries(a.actions)
        .map(([action, n]) => `${action} ${formatInt(n)}`)
        .join(", "),
      formatUtcMinute(Date.parse(a.firstAt)),
      formatUtcMinute(Date.parse(a.lastAt)),
    ]),
  );
  const jurisdictions = titledTable(
    "Jurisdictions its jobs ran in",
    ["Jurisdiction", "Sites", "Jobs", "Starts"],
    trail.jurisdictions.map((j) => [
      j.jurisdiction,
      j.sites.join(", "),
      right(formatInt(j.jobs.length)),
      right(formatInt(j.starts)),
    ]),
  );
  return (
    `${trail.tenant}: ${formatInt(trail.entries.length)} audit entries${period}; wrote ${writtenTo}\n` +
    `${actors}\n${jurisdictions}`
  );
}
