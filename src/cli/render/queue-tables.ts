// `fjord queue`: per tier, the waiting jobs in the order the scheduler considers them, each with its
// estimated start and the scheduler's sentence for why it waits.
import type { z } from "zod";
import type { queueWireSchema } from "../../api/schemas/queue.ts";
import { formatInt, formatUtcMinute } from "../../model/format.ts";
import { right, titledTable } from "./plain-table.ts";

export type QueueWire = z.output<typeof queueWireSchema>;

/** Wide enough for most sentences on two lines, narrow enough for a 132-column terminal. */
const SENTENCE_WIDTH = 60;

export function queueTables(queue: QueueWire): string {
  const total = queue.tiers.reduce((sum, t) => sum + t.waitingCount, 0);
  const perTier = queue.tiers.map((t) => `${t.tier} ${formatInt(t.waitingCount)}`).join(", ");
  const sections = queue.tiers.map((tier) => {
    const hidden = tier.waitingCount - tier.waiting.length;
    // Tenant keys see their own jobs, and at most --limit per tier; the count still says how busy it is.
    const note =
      hidden > 0 ? `${formatInt(hidden)} more not shown (other tenants' jobs, or beyond --limit)\n` : "";
    const table = titledTable(
      tier.tier,
      ["Job", "Tenant", "GPUs", "Submitted", "Estimated start", "Why"],
      tier.waiting.map((w) => [
        w.jobId,
        w.tenant,
        right(formatInt(w.gpus)),
        formatUtcMinute(Date.parse(w.submittedAt)),
        w.estimatedStart === null ? "never" : formatUtcMinute(Date.parse(w.estimatedStart)),
        w.sentence,
      ]),
      SENTENCE_WIDTH,
    );
    return table + note;
  });
  const header = `Queue at ${formatUtcMinute(Date.parse(queue.at))}: ${formatInt(total)} waiting (${perTier})\n`;
  return [header, ...sections].join("\n");
}
