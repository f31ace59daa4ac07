// Audit entries as a table for people: when, who, what, about which object, and the entry's hash prefix
// (enough to find it again with `fjord audit verify`'s output).
import type { z } from "zod";
import type { auditEntryWireSchema } from "../../api/schemas/audit.ts";
import { formatInt, formatUtcMinute } from "../../model/format.ts";
import { right, titledTable } from "./plain-table.ts";

type AuditEntryWire = z.output<typeof auditEntryWireSchema>;

/** Characters of an entry's hash shown: enough to tell entries apart by eye. */
const HASH_PREFIX = 12;

export function auditEntriesTable(entries: readonly AuditEntryWire[]): string {
  return titledTable(
    "Audit entries",
    ["Entry", "At", "Actor", "Action", "Tenant", "Object", "Hash"],
    entries.map((e) => [
      right(formatInt(e.seq)),
      formatUtcMinute(Date.parse(e.at)),
      e.actor,
      e.action,
      e.tenant ?? "—",
      `${e.objectType} ${e.objectId}`,
      e.hash.slice(0, HASH_PREFIX),
    ]),
  );
}
