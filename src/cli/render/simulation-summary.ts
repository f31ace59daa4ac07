// What `fjord simulate` prints when it is done: per run its CO2e, energy cost and deadlines kept, the
// GPU-hours left idle while jobs waited and why, and per tier the jobs, waits and GPU-hours, then the files
// it wrote. The report has the rest; this is enough to see at a glance whether a run is sane.
import Table from "cli-table3";
import type { RunFootprint } from "../../accounting/run-footprint.ts";
import type { ReportRun } from "../../report/chart-data.ts";
import { fmtDuration, fmtInt, fmtPercent, fmtQuantity, fmtUtc } from "../../report/format.ts";
import { IDLE_CAUSES, type IdleCause } from "../../scheduler/idle-causes.ts";
import type { GroupMetrics, SimulationMetrics } from "../../simulator/metrics.ts";

export function simulationSummary(runs: readonly ReportRun[], written: readonly string[]): string {
  const lines: string[] = [];
  for (const { label, result, metrics, footprint } of runs) {
    const skipped = result.skipped.reduce((a, s) => a + s.count, 0);
    lines.push(
      `${label}: ${fmtUtc(result.fromMs)} → ${fmtUtc(result.toMs)}, ${fmtInt(result.jobs.length)} jobs` +
        `, utilisation ${fmtPercent(metrics.overall.utilisation)}` +
        `, fairness ${metrics.overall.fairness === null ? "—" : metrics.overall.fairness.toFixed(3)}` +
        (skipped > 0 ? `, ${fmtInt(skipped)} input rows skipped (reasons in the report)` : ""),
    );
    if (footprint !== undefined) lines.push(footprintLine(footprint));
    lines.push(
      `  preemptions ${fmtInt(metrics.overall.preemptions)}, ` +
        `${fmtInt(metrics.overall.preemptionsBeforeMinRuntime)} of them before the minimum runtime (${fmtDuration(metrics.minRuntimeS)})`,
    );
    if (metrics.idleWhileWaiting !== null) lines.push(idleLine(metrics.idleWhileWaiting));
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

/** E.g. `  CO2e 1,234.5 kg (location-based), energy cost 567.8 EUR, 12.3 MWh, deadlines met 40/41`. */
function footprintLine(f: RunFootprint): string {
  const met = f.deadlineJobs - f.deadlinesMissed;
  return (
    `  CO2e ${fmtQuantity(f.co2eLocationKg)} kg (location-based), ` +
    `energy cost ${fmtQuantity(f.energyCostEur)} EUR, ${fmtQuantity(f.facilityKWh / 1000)} MWh, ` +
    `deadlines met ${fmtInt(met)}/${fmtInt(f.deadlineJobs)}`
  );
}

const IDLE_CAUSE_NAMES: Record<IdleCause, string> = {
  "tenant-quota": "tenant quota",
  "borrowing-limit": "tier borrowing limit",
  "gpu-model-or-site": "GPU model, residency or site",
  "no-fit": "no fit in the free shape",
  reserved: "reserved for a blocked job",
  "start-window": "start window",
};

/**
 * E.g. `  GPU-hours idle while jobs waited 1,234: tenant quota 1,000, no fit in the free shape 234`: the
 * causes in the order the scheduler meets them, those with less than half a GPU-hour left out.
 */
function idleLine(idle: NonNullable<SimulationMetrics["idleWhileWaiting"]>): string {
  const causes = IDLE_CAUSES.filter((c) => idle.byCause[c] >= 0.5).map(
    (c) => `${IDLE_CAUSE_NAMES[c]} ${fmtQuantity(idle.byCause[c])}`,
  );
  return `  GPU-hours idle while jobs waited ${fmtQuantity(idle.gpuHours)}${causes.length > 0 ? `: ${causes.join(", ")}` : ""}`;
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
