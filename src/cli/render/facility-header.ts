// The report's first line: which facility, how many GPUs it has and whose they are, and the time the pass
// is decided at, so a pasted report says what it is about.
import { formatCount, formatInt, formatUtcMinute } from "../../model/format.ts";
import type { Facility, RunningJob } from "../../model/types.ts";

export function facilityHeader(facility: Facility, running: readonly RunningJob[], nowMs: number): string {
  const perNode = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  const operatedBy = new Map(facility.sites.map((s) => [s.id, s.operator]));
  let total = 0;
  let facilityOperated = 0;
  for (const node of facility.nodes) {
    const gpus = perNode.get(node.nodeTypeId) ?? 0;
    total += gpus;
    if (operatedBy.get(node.siteId) === "facility") facilityOperated += gpus;
  }
  const held = running.reduce((sum, r) => sum + r.allocation.nodes.reduce((n, a) => n + a.gpus.length, 0), 0);
  const busy =
    running.length === 0
      ? "no running jobs"
      : `${formatCount(running.length, "running job")} holding ${formatCount(held, "GPU")}`;
  return (
    `${facility.name}: ${formatCount(total, "GPU")} at ${formatCount(facility.sites.length, "site")} ` +
    `(${formatInt(facilityOperated)} facility-operated, ${formatInt(total - facilityOperated)} tenant-owned); ` +
    `${busy}; now ${formatUtcMinute(nowMs)}`
  );
}
