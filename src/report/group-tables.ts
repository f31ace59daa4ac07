// Per-tier and per-tenant tables: who got how much, and how long they waited for it. With several runs
// each tier or tenant gets one row per run, grouped together, so a policy's effect on a tenant reads across
// adjacent rows rather than across two tables.
import type { GroupMetrics, SimulationMetrics, TenantMetrics, TierMetrics } from "../simulator/metrics.ts";
import { fmtDuration, fmtIndex, fmtInt, fmtPercent, fmtQuantity, NONE } from "./format.ts";
import { escapeHtml } from "./html.ts";
import { runBorderStyle, runColour } from "./palette.ts";

interface LabelledMetrics {
  label: string;
  metrics: SimulationMetrics;
}

interface Column<G> {
  head: string;
  cell: (g: G) => string;
}

const GROUP_COLUMNS: Column<GroupMetrics>[] = [
  { head: "Jobs", cell: (g) => fmtInt(g.jobsSubmitted) },
  { head: "Started", cell: (g) => fmtInt(g.jobsStarted) },
  { head: "Completed", cell: (g) => fmtInt(g.jobsCompleted) },
  { head: "GPU-hours", cell: (g) => fmtQuantity(g.gpuHoursDelivered) },
  { head: "Wait p50", cell: (g) => fmtDuration(g.waitS.p50) },
  { head: "Wait p95", cell: (g) => fmtDuration(g.waitS.p95) },
  { head: "Slowdown p50", cell: (g) => fmtIndex(g.boundedSlowdown.p50) },
];

const TIER_COLUMNS: Column<TierMetrics>[] = [
  ...GROUP_COLUMNS,
  { head: "Share of capacity", cell: (t) => fmtPercent(t.utilisation) },
  { head: "Fairness", cell: (t) => fmtIndex(t.fairness) },
];

const TENANT_COLUMNS: Column<TenantMetrics>[] = [
  ...GROUP_COLUMNS,
  { head: "Received / demanded", cell: (t) => fmtPercent(t.normalisedShare) },
];

export function tierTable(runs: readonly LabelledMetrics[]): string {
  const ids = union(runs.map((r) => r.metrics.tiers.map((t) => t.tierId)));
  return groupedTable(
    "tiers",
    ["Tier"],
    TIER_COLUMNS,
    runs,
    ids.map((id) => ({ keys: [id], pick: (m) => m.tiers.find((t) => t.tierId === id) })),
  );
}

export function tenantTable(runs: readonly LabelledMetrics[]): string {
  const all = runs.flatMap((r) => r.metrics.tenants);
  const ids = union(runs.map((r) => r.metrics.tenants.map((t) => t.tenantId)));
  if (ids.length === 0) return '<p class="empty">No jobs.</p>';
  return groupedTable(
    "tenants",
    ["Tenant", "Tier"],
    TENANT_COLUMNS,
    runs,
    ids.map((id) => ({
      keys: [id, all.find((t) => t.tenantId === id)!.tierId],
      pick: (m) => m.tenants.find((t) => t.tenantId === id),
    })),
  );
}

/** One <tbody> per group: its key cells span the group's rows, one row per run (a Run column if > 1). */
function groupedTable<G>(
  cls: string,
  keyHeads: string[],
  columns: Column<G>[],
  runs: readonly LabelledMetrics[],
  groups: { keys: string[]; pick: (m: SimulationMetrics) => G | undefined }[],
): string {
  const many = runs.length > 1;
  const span = many ? ` rowspan="${runs.length}"` : "";
  const head = [
    ...keyHeads.map((h) => `<th>${h}</th>`),
    ...(many ? ["<th>Run</th>"] : []),
    ...columns.map((c) => `<th class="num">${c.head}</th>`),
  ].join("");
  const bodies = groups.map(({ keys, pick }) => {
    const rows = runs.map((run, i) => {
      const g = pick(run.metrics);
      const keyCells =
        i > 0
          ? ""
          : keys
              .map((k, j) =>
                j === 0
                  ? `<th scope="rowgroup"${span}>${escapeHtml(k)}</th>`
                  : `<td${span}>${escapeHtml(k)}</td>`,
              )
              .join("");
      const runCell = many ? `<td>${swatch(i)}${escapeHtml(run.label)}</td>` : "";
      const cells = columns.map((c) => `<td class="num">${g === undefined ? NONE : c.cell(g)}</td>`).join("");
      return `<tr>${keyCells}${runCell}${cells}</tr>`;
    });
    return `<tbody>${rows.join("")}</tbody>`;
  });
  return `<table class="metrics ${cls}"><thead><tr>${head}</tr></thead>\n${bodies.join("\n")}\n</table>`;
}

export function swatch(run: number): string {
  return `<span class="run-swatch" style="border-top-color: ${runColour(run)}; border-top-style: ${runBorderStyle(run)}"></span>`;
}

/** Ids in first-seen order across the runs. */
function union(lists: readonly string[][]): string[] {
  return [...new Set(lists.flat())];
}
