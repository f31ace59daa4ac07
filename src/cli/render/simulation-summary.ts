// What `fjord simulate` prints when it is done: per run and tier the jobs, waits and GPU-hours, then the
// files it wrote. The report has the rest; this is enough to see at a glance whether a run is sane.
import Table from "cli-table3";
import type { ReportRun } from "../../report/chart-data.ts";
import { fmtDuration, fmtInt, fmtPercent, fmtQuantity, fmtUtc } from "../../report/format.ts";
import type { GroupMetrics } from "../../simulator/metrics.ts";

export function simulationSummary(runs: readonly ReportRun[], written: readonly string[]): string {
  const lines: string[] = [];
  for (const { label, result, metrics } of runs) {
    const skipped = result.skipped.reduce((a, s) => a + s.count, 0);
    lines.push(
      `${label}: ${fmtUtc(result.fromMs)} → ${fmtUtc(result.toMs)}, ${fmtInt(result.jobs.length)} jobs` +
        `, utilisation ${fmtPercent(metrics.overall.utilisation)}` +
        `, fairness ${metrics.overall.fairness === null ? "—" : metrics.overall.fairness.toFixed(3)}` +
        (skipped > 0 ? `, ${fmtInt(skipped)} input rows skipped (reasons in the report)` : ""),
    );
    const table = new Table({
      head: ["tier", "jobs", "completed", "never started", "wait p50", "wait p95", "GPU-hours"],
      style: { head: [], border: [], compact: true },
    });
    for (const tier of metrics.tiers) table.push([tier.tierId, ...row(tier)]);
    table.push(["all", ...row(metrics.overall)]);
    lines.push(table.toString(), "");
  }
  lines.push(...written.map((path) => `wrote ${path}`), "");
  return lines.join("\n");
}

function row(g: GroupMetrics): string[] {
  return [
    fmtInt(g.jobsSubmitted),
    fmtInt(g.jobsCompleted),
    fmtInt(g.neverStarted),
    fmtDuration(g.waitS.p50),
    fmtDuration(g.waitS.p95),
    fmtQuantity(g.gpuHoursDelivered),
  ];
}
