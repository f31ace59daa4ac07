// One self-contained HTML file describing one or more simulation runs: headline metrics, charts and
// per-tier and per-tenant tables. With several runs (policy comparison) the charts overlay them or sit
// side by side and the headline table gains Δ columns. Pure: the same input and assets give the same
// bytes — no clock, no randomness — and the file needs no network to open.
import type { ChartAssets } from "./assets.ts";
import { type Chart, chartData, type ReportRun } from "./chart-data.ts";
import { fmtInt, fmtUtc } from "./format.ts";
import { swatch, tenantTable, tierTable } from "./group-tables.ts";
import { headlineTable } from "./headline-table.ts";
import { escapeHtml, inlineScript, inlineStyle, jsonScriptContent } from "./html.ts";
import { PALETTE } from "./palette.ts";
import { REPORT_CSS } from "./styles.ts";

export type { ReportRun } from "./chart-data.ts";

export interface ReportInput {
  title: string;
  runs: ReportRun[];
}

export function renderReport(input: ReportInput, assets: ChartAssets): string {
  if (input.runs.length === 0) throw new Error("renderReport: a report needs at least one run");
  const runs = input.runs;
  const data = { ...chartData(runs), palette: PALETTE };
  const compare = runs.length > 1;
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${inlineStyle(assets.uplotCss)}
${inlineStyle(REPORT_CSS)}
</head>
<body>
<main>
<h1>${title}</h1>
<p class="lead">Fjord simulation report${compare ? ` comparing ${fmtInt(runs.length)} runs` : ""}. Times are UTC.</p>
<div class="grid">
${runs.map(runCard).join("\n")}
</div>

<h2>Headline metrics</h2>
<div class="scroll">${headlineTable(runs)}</div>

<h2>Utilisation</h2>
<p class="note">Allocated GPUs as a share of the GPUs on nodes that are up${compare ? ", one line per run" : ""}.</p>
<div class="card"><div class="chart" data-chart="utilisation"></div></div>

<h2>Queue length per tier</h2>
<p class="note">Jobs waiting in each tier.</p>
<div class="grid">
${runs.map((r, i) => `<div class="card"><h3>${escapeHtml(r.label)}</h3><div class="chart" data-chart="queue" data-run="${i}"></div></div>`).join("\n")}
</div>

<h2>Queue wait</h2>
<p class="note">Share of each tier's submitted jobs that had started within a given wait. Jobs that never
started keep a curve below 100 %.${compare ? " Colour is the tier; line style is the run." : ""}</p>
<div class="card">${waitChart(data.waitCdf, runs)}</div>

<h2>GPU-hours per tier</h2>
<p class="note">GPU-hours delivered inside the simulated period.</p>
<div class="card"><div class="chart" data-chart="gpu-hours"></div></div>
<div class="scroll">${tierTable(runs)}</div>

<h2>Tenants</h2>
<div class="scroll">${tenantTable(runs)}</div>

${DEFINITIONS}
</main>
<script type="application/json" id="fjord-data">${jsonScriptContent(data)}</script>
${inlineScript(assets.uplotJs)}
${inlineScript(assets.chartsJs)}
</body>
</html>
`;
}

/** The wait CDF, or why there is nothing to draw: no jobs, or none waited (every curve is 100 % at 0). */
function waitChart(chart: Chart, runs: readonly ReportRun[]): string {
  if (chart.series.length === 0)
    return '<p class="empty">No jobs were submitted: there are no waits to show.</p>';
  if (chart.x.length <= 1) {
    const started = runs.every((r) => r.metrics.overall.jobsStarted === r.metrics.overall.jobsSubmitted);
    return started
      ? '<p class="empty">Every job started the moment it was submitted: no waits to show.</p>'
      : '<p class="empty">Every job that started did so the moment it was submitted; the others never started.</p>';
  }
  return '<div class="chart" data-chart="wait-cdf"></div>';
}

function runCard(run: ReportRun, index: number): string {
  const r = run.result;
  const skipped = r.skipped.map((s) => `${fmtInt(s.count)} ${escapeHtml(s.reason)}`).join("; ");
  return `<div class="card"><h3>${swatch(index)}${escapeHtml(run.label)}</h3><dl class="meta">
<dt>Period</dt><dd>${fmtUtc(r.fromMs)} – ${fmtUtc(r.toMs)}</dd>
<dt>Seed</dt><dd>${fmtInt(r.seed)}</dd>
<dt>Jobs</dt><dd>${fmtInt(r.jobs.length)}</dd>
<dt>Samples</dt><dd>${fmtInt(r.samples.length)}</dd>
<dt>Events</dt><dd>${fmtInt(r.events)} events, ${fmtInt(r.passes)} scheduling passes</dd>
<dt>Skipped input</dt><dd>${skipped === "" ? "none" : skipped}</dd>
</dl></div>`;
}

const DEFINITIONS = `<footer><h2>Definitions</h2><dl>
<dt>Utilisation</dt><dd>Σ over runs of GPUs × time inside the period, divided by ∫ available GPUs dt over the
period (samples as a step function). A tier's or tenant's share divides its own GPU-hours by the same
facility total.</dd>
<dt>Queue wait</dt><dd>First start − submission, for jobs that started. Jobs that never started are counted
apart; their waits so far are censored and left out of the percentiles. Percentiles are nearest-rank: the
value at rank ⌈p/100 · n⌉ of the sorted waits.</dd>
<dt>Bounded slowdown</dt><dd>max(1, response time / max(runtime, τ)) for completed jobs (Feitelson), with
τ = the threshold in the metrics (10 s by default).</dd>
<dt>Fairness</dt><dd>Jain's index (Σx)² / (n · Σx²) over tenants, x = GPU-hours received / GPU-hours demanded
(GPUs × runtime of the jobs submitted in the period). 1 is perfectly even; 1/n is one tenant getting
everything.</dd>
<dt>Stranded GPUs</dt><dd>Free GPUs that no waiting job could use, as a share of the available GPUs, over the
samples.</dd>
<dt>Charts</dt><dd>Time series are reduced to at most 2,000 points per series by averaging consecutive
samples in equal-count buckets.</dd>
</dl></footer>`;
