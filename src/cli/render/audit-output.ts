// What `fjord audit verify` and `fjord audit export --out` print: the verdict on the chain (and on the
// checkpoints) with the first bad entry as stored, and a summary of an exported trail (who acted on the
// tenant's work, where it ran).
import type { z } from "zod";
import type { auditEntryWireSchema, auditExportSchema } from "../../api/schemas/audit.ts";
import type { Checkpoint } from "../../audit/checkpoint.ts";
import type { CheckpointLine } from "../../audit/checkpoint-file.ts";
import type { ChainVerdict } from "../../audit/hash-chain.ts";
import type { AnchoredVerdict } from "../../audit/verify-checkpoints.ts";
import { formatCount, formatInt, formatUtcMinute } from "../../model/format.ts";
import { right, titledTable } from "./plain-table.ts";
import { stableJson } from "./stable-json.ts";

export type AuditEntryWire = z.output<typeof auditEntryWireSchema>;
export type AuditExportWire = z.output<typeof auditExportSchema>;

/** A verdict on the chain alone, or on the chain and checkpoints kept outside the database. */
export type AuditVerdict = ChainVerdict | AnchoredVerdict;

/** The checkpoint file verified against, when there was one. */
export interface CheckpointSource {
  file: string;
  lines: readonly CheckpointLine[];
}

/** `where` names the database checked; `badEntry` is the first bad entry as stored (null if it is missing). */
export function verdictText(
  verdict: AuditVerdict,
  badEntry: AuditEntryWire | null,
  where: string,
  source: CheckpointSource | null,
): string {
  if (verdict.ok) {
    const { seq, hash } = verdict.head;
    const lines = [
      `audit log intact: ${formatInt(verdict.entries)} entries in ${where}`,
      `chain head: entry ${formatInt(seq)}, hash ${hash}`,
    ];
    if ("checkpoints" in verdict && source !== null) {
      const { count, newest } = verdict.checkpoints;
      lines.push(
        `held: ${formatCount(count, "checkpoint")} in ${source.file}, each signed by ` +
          `${newest.checkpoint.publicKey}`,
        `newest checkpoint: entry ${formatInt(newest.checkpoint.seq)} at ${newest.checkpoint.at} (line ${newest.line})`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
  const { problem } = verdict;
  if ("line" in problem && (problem.kind === "forged" || problem.kind === "other-key"))
    return `checkpoint REFUSED: line ${problem.line} of ${source?.file ?? "the checkpoint file"} (${problem.kind}): ${problem.reason}\n`;
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

/** The verdict as JSON; a problem found through a checkpoint also names its `line`. */
export function verdictJson(
  verdict: AuditVerdict,
  badEntry: AuditEntryWire | null,
  source: CheckpointSource | null,
): string {
  if (!verdict.ok) return stableJson({ ...verdict, entry: badEntry });
  if (!("checkpoints" in verdict) || source === null) return stableJson(verdict);
  const { count, newest } = verdict.checkpoints;
  const { seq, hash, at, publicKey } = newest.checkpoint;
  return stableJson({
    ...verdict,
    checkpoints: { file: source.file, count, publicKey, newest: { line: newest.line, seq, hash, at } },
  });
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

/** What `fjord audit checkpoint --out` says it appended. */
export function checkpointSummary(checkpoint: Checkpoint, writtenTo: string): string {
  return (
    `checkpoint of ${checkpoint.database}: entry ${formatInt(checkpoint.seq)}, hash ${checkpoint.hash}; ` +
    `appended to ${writtenTo}\n` +
    `signed by ${checkpoint.publicKey}\n`
  );
}
