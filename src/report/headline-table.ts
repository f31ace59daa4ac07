// The headline figures of each run in one table; with more than one run, a Δ column per later run against
// the first, coloured by whether the change is an improvement.
import type { RunFootprint } from "../accounting/run-footprint.ts";
import type { SimulationMetrics } from "../simulator/metrics.ts";
import { fmtDuration, fmtIndex, fmtInt, fmtPercent, fmtQuantity, NONE } from "./format.ts";
import { escapeHtml } from "./html.ts";

type Kind = "percent" | "int" | "quantity" | "duration" | "index";

interface Row {
  label: string;
  kind: Kind;
  /** Which direction is an improvement; null where neither is (jobs submitted). */
  better: "lower" | "higher" | null;
  /** The footprint is absent for runs that were not accounted; their cells show a dash. */
  value: (m: SimulationMetrics, f: RunFootprint | undefined) => number | null;
}

const ROWS: Row[] = [
  { label: "Utilisation", kind: "percent", better: "higher", value: (m) => m.overall.utilisation },
  {
    label: "GPU-hours delivered",
    kind: "quantity",
    better: "higher",
    value: (m) => m.overall.gpuHoursDelivered,
  },
  { label: "Jobs submitted", kind: "int", better: null, value: (m) => m.overall.jobsSubmitted },
  { label: "Jobs started", kind: "int", better: "higher", value: (m) => m.overall.jobsStarted },
  { label: "Jobs completed", kind: "int", better: "higher", value: (m) => m.overall.jobsCompleted },
  { label: "Jobs never started", kind: "int", better: "lower", value: (m) => m.overall.neverStarted },
  { label: "Queue wait, mean", kind: "duration", better: "lower", value: (m) => m.overall.waitS.mean },
  { label: "Queue wait, p50", kind: "duration", better: "lower", value: (m) => m.overall.waitS.p50 },
  { label: "Queue wait, p95", kind: "duration", better: "lower", value: (m) => m.overall.waitS.p95 },
  { label: "Queue wait, p99", kind: "duration", better: "lower", value: (m) => m.overall.waitS.p99 },
  {
    label: "Bounded slowdown, p50",
    kind: "index",
    better: "lower",
    value: (m) => m.overall.boundedSlowdown.p50,
  },
  {
    label: "Bounded slowdown, p95",
    kind: "index",
    better: "lower",
    value: (m) => m.overall.boundedSlowdown.p95,
  },
  {
    label: "Bounded slowdown, mean",
    kind: "index",
    better: "lower",
    value: (m) => m.overall.boundedSlowdown.mean,
  },
  { label: "Fairness (Jain's index)", kind: "index", better: "higher", value: (m) => m.overall.fairness },
  { label: "Preemptions", kind: "int", better: "lower", value: (m) => m.overall.preemptions },
  {
    label: "GPU-hours lost to preemption",
    kind: "quantity",
    better: "lower",
    value: (m) => m.lostGpuHours.preemption,
  },
  {
    label: "GPU-hours lost to failures",
    kind: "quantity",
    better: "lower",
    value: (m) => m.lostGpuHours.failures,
  },
  { label: "Stranded GPUs, mean", kind: "percent", better: "lower", value: (m) => m.fragmentation.mean },
  { label: "Stranded GPUs, p95", kind: "percent", better: "lower", value: (m) => m.fragmentation.p95 },
  { label: "Deadline misses", kind: "int", better: "lower", value: (m) => m.overall.deadlineMisses },
  {
    label: "CO2e of jobs, location-based (kg)",
    kind: "quantity",
    better: "lower",
    value: (_, f) => f?.co2eLocationKg ?? null,
  },
  {
    label: "Energy cost of jobs (EUR)",
    kind: "quantity",
    better: "lower",
    value: (_, f) => f?.energyCostEur ?? null,
  },
];

const FORMAT: Record<Kind, (n: number | null) => string> = {
  percent: fmtPercent,
  int: fmtInt,
  quantity: fmtQuantity,
  duration: fmtDuration,
  index: fmtIndex,
};

export function headlineTable(
  runs: readonly { label: string; metrics: SimulationMetrics; footprint?: RunFootprint }[],
): string {
  const first = runs[0];
  const later = runs.slice(1);
  const head = [
    "<th>Metric</th>",
    ...runs.map((r) => `<th class="num">${escapeHtml(r.label)}</th>`),
    ...later.map((r) => `<th class="num">Δ ${escapeHtml(r.label)} vs ${escapeHtml(first!.label)}</th>`),
  ].join("");
  const body = ROWS.map((row) => {
    const values = runs.map((r) => row.value(r.metrics, r.footprint));
    const cells = values.map((v) => `<td class="num">${FORMAT[row.kind](v)}</td>`);
    const deltas = values.slice(1).map((v) => deltaCell(row, values[0] ?? null, v));
    return `<tr><th scope="row">${escapeHtml(row.label)}</th>${cells.join("")}${deltas.join("")}</tr>`;
  }).join("\n");
  return `<table class="metrics headline"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function deltaCell(row: Row, base: number | null, value: number | null): string {
  if (base === null || value === null) return `<td class="num">${NONE}</td>`;
  const d = value - base;
  if (d === 0) return `<td class="num">0</td>`;
  const improved = row.better === null ? null : d > 0 === (row.better === "higher");
  const cls = improved === null ? "" : improved ? " better" : " worse";
  return `<td class="num delta${cls}">${d > 0 ? "+" : "−"}${formatMagnitude(row.kind, Math.abs(d))}</td>`;
}

/** A difference's size: percentages as percentage points, the rest in the row's own unit. */
function formatMagnitude(kind: Kind, d: number): string {
  return kind === "percent" ? fmtPercent(d).replace(" %", " pp") : FORMAT[kind](d);
}
