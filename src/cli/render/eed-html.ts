// The EED report as one self-contained HTML page (no script, nothing fetched): per data centre the headline
// indicators, a monthly chart of facility energy drawn as inline SVG, and every figure in the regulation's
// structure with its formula; hovering a value shows its operands and source. Same report → same bytes.
import type { DataCentreReport, MonthlyRow } from "../../accounting/eed-report.ts";
import type { Figure, FigureValue } from "../../accounting/figure.ts";
import { type CoveredEedReport, type EedCoverage, spanText } from "../../report/eed-coverage.ts";
import { fmtIndex, fmtInt, fmtQuantity, fmtUtc, NONE } from "../../report/format.ts";
import { escapeHtml, inlineStyle } from "../../report/html.ts";
import { roundSignificant } from "../../report/round.ts";
import { REPORT_CSS } from "../../report/styles.ts";

const EXTRA_CSS = `
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px; }
.kpi { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.kpi b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.kpi span { color: var(--muted); font-size: 13px; }
table.metrics td.formula { white-space: normal; color: var(--muted); font-size: 13px; min-width: 28ch; }
table.metrics td.reason { white-space: normal; min-width: 24ch; }
svg.bars { display: block; width: 100%; height: auto; }
svg.bars text { font: 11px system-ui, sans-serif; fill: var(--muted); }
figure.bar-chart { margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; color: var(--muted); margin-top: 6px; }
.legend-item i { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.scope { font-weight: 600; }
`;

const CHART = { width: 720, height: 220, left: 56, bottom: 22, top: 20 };

export function eedHtml(report: CoveredEedReport, title: string): string {
  const year = new Date(report.period.fromMs).getUTCFullYear();
  const heading = `${escapeHtml(title)}: data-centre report ${year}`;
  const inputs = report.inputs;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading}</title>
${inlineStyle(REPORT_CSS + EXTRA_CSS)}
</head>
<body>
<main>
<h1>${heading}</h1>
<p class="lead">In the structure of ${escapeHtml(report.regulation)}. Period ${fmtUtc(report.period.fromMs)} → ${fmtUtc(report.period.toMs)} (UTC).</p>
<dl class="meta">
<dt>Facility</dt><dd>${escapeHtml(inputs.facility)}</dd>
<dt>Schedule</dt><dd>${escapeHtml(inputs.simulation)}, run ${escapeHtml(inputs.run)}: ${fmtUtc(inputs.scheduleFromMs)} → ${fmtUtc(inputs.scheduleToMs)}</dd>
<dt>Figures rest on</dt><dd>${spanText(report.coverage)}: ${escapeHtml(report.coverage.basis)}</dd>
<dt>Signals</dt><dd>${escapeHtml(inputs.signals)}</dd>
</dl>
${sitesTable(report.coverage)}
${report.dataCentres.map(dataCentre).join("\n")}
<footer><dl>
<dt>Reading the figures</dt><dd>Hover a value for its operands and source. Figures are modelled from the schedule, the facility file and hourly signals (docs/energy.md explains every formula and default); they are not meter readings.</dd>
<dt>Regulation fields</dt><dd>Symbols follow Delegated Regulation (EU) 2024/1364 as Fjord's docs record them; docs/energy.md says which were confirmed against the text.</dd>
</dl></footer>
</main>
</body>
</html>
`;
}

function dataCentre(dc: DataCentreReport): string {
  const kpis = dc.sections.find((s) => s.id === "annex-iii")?.figures ?? [];
  const cue = dc.sections.find((s) => s.id === "fjord")?.figures.filter((f) => f.key.startsWith("CUE")) ?? [];
  const scope = dc.inScope
    ? "installed IT power at or above 500 kW: reporting applies"
    : "installed IT power below 500 kW: reporting is voluntary";
  return `<h2>${escapeHtml(dc.name)} <small>(${escapeHtml(dc.siteId)})</small></h2>
<p class="note"><span class="scope">Scheme ${escapeHtml(dc.scheme)}</span>; ${scope}.</p>
<div class="kpis">${[...kpis, ...cue].map(kpi).join("")}</div>
<div class="card"><h3>Facility energy by month</h3>${monthlyChart(dc.monthly)}</div>
${dc.sections
  .map(
    (s) => `<h3>${escapeHtml(s.title)}</h3>
<div class="scroll"><table class="metrics"><thead><tr><th>Symbol</th><th>Figure</th><th class="num">Value</th><th>Unit</th><th>Formula</th></tr></thead>
<tbody>${s.figures.map(row).join("\n")}</tbody></table></div>`,
  )
  .join("\n")}
<h3>By month</h3>
<div class="scroll">${monthlyTable(dc.monthly)}</div>`;
}

/** Every site of the facility: reported or left out, and why. */
function sitesTable(coverage: EedCoverage): string {
  const rows = coverage.sites.map(
    (s) =>
      `<tr><th scope="row">${escapeHtml(s.siteId)}</th><td>${escapeHtml(s.name)}</td><td>${s.reported ? "reported" : "left out"}</td><td class="num">${fmtInt(s.runs)}</td><td class="reason">${escapeHtml(s.reason)}</td></tr>`,
  );
  return `<h2>Sites</h2>
<div class="scroll"><table class="metrics sites"><thead><tr><th>Site</th><th>Name</th><th>Report</th><th class="num">Runs</th><th>Why</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div>`;
}

function kpi(f: Figure): string {
  const label = f.key.startsWith("CUE")
    ? `${f.key} (${f.unit})`
    : f.unit === ""
      ? (f.symbol ?? f.key)
      : `${f.symbol} (${f.unit})`;
  return `<div class="kpi" title="${escapeHtml(hover(f))}"><b>${value(f.value, true)}</b><span>${escapeHtml(label)}</span></div>`;
}

function row(f: Figure): string {
  return `<tr><td>${escapeHtml(f.symbol ?? "")}</td><th scope="row">${escapeHtml(f.label)}</th><td class="num" title="${escapeHtml(hover(f))}">${value(f.value, f.unit === "" || f.unit.includes("/"))}</td><td>${escapeHtml(f.unit)}</td><td class="formula">${escapeHtml(f.formula)}</td></tr>`;
}

function hover(f: Figure): string {
  const operands = Object.entries(f.operands).map(
    ([k, v]) => `${k} = ${typeof v === "number" ? roundSignificant(v) : (v ?? NONE)}`,
  );
  return [...operands, `source: ${f.source}`].join("\n");
}

/** Ratios get three decimals; amounts thousands separators; text as is. */
function value(v: FigureValue, ratio: boolean): string {
  if (v === null) return NONE;
  if (typeof v === "string") return escapeHtml(v);
  return ratio ? fmtIndex(v) : fmtQuantity(v);
}

function monthlyTable(rows: readonly MonthlyRow[]): string {
  const head = [
    "Month",
    "EIT kWh",
    "EDC kWh",
    "PUE",
    "Water L",
    "Heat reused kWh",
    "Renewable kWh",
    "kg CO2e (location)",
    "kg CO2e (market)",
    "GPU time allocated",
  ];
  const body = rows.map(
    (r) =>
      `<tr><th scope="row">${r.month}</th>${[r.itKWh, r.facilityKWh].map((n) => `<td class="num">${fmtQuantity(n)}</td>`).join("")}` +
      `<td class="num">${r.pue === null ? NONE : fmtIndex(r.pue)}</td>` +
      [r.waterL, r.heatReusedKWh, r.renewableKWh, r.co2eLocationKg, r.co2eMarketKg]
        .map((n) => `<td class="num">${fmtQuantity(n)}</td>`)
        .join("") +
      `<td class="num">${r.gpuUtilisation === null ? NONE : fmtIndex(r.gpuUtilisation)}</td></tr>`,
  );
  return `<table class="metrics"><thead><tr>${head.map((h, i) => `<th${i > 0 ? ' class="num"' : ""}>${h}</th>`).join("")}</tr></thead><tbody>${body.join("\n")}</tbody></table>`;
}

const IT_COLOUR = "#0969da";
const OVERHEAD_COLOUR = "#8cc4ff";

/**
 * Bars of EDC per month, the IT part dark and the overhead above it light, with a legend for the two. The
 * axis counts in kWh, MWh or GWh, whichever keeps its labels short, on round ticks from 0 to just above the
 * largest month, so every label fits the chart.
 */
function monthlyChart(rows: readonly MonthlyRow[]): string {
  const { width, height, left, bottom, top } = CHART;
  const maxKWh = Math.max(0, ...rows.map((r) => r.facilityKWh));
  if (rows.length === 0 || maxKWh === 0) return `<p class="empty">No energy in the period.</p>`;
  const unit =
    maxKWh >= 1e7
      ? { name: "GWh", kWh: 1e6 }
      : maxKWh >= 1e4
        ? { name: "MWh", kWh: 1e3 }
        : { name: "kWh", kWh: 1 };
  const ticks = roundTicks(maxKWh / unit.kWh);
  const scaleTopKWh = ticks.at(-1)! * unit.kWh;
  const plotH = height - bottom - top;
  const slot = (width - left) / rows.length;
  const y = (kWh: number) => top + plotH - (kWh / scaleTopKWh) * plotH;
  const grid = ticks.map((t) => {
    const ty = y(t * unit.kWh).toFixed(1);
    return `<line x1="${left}" x2="${width}" y1="${ty}" y2="${ty}" stroke="#d0d7de" stroke-width="1"/><text x="${left - 6}" y="${ty}" dy="0.35em" text-anchor="end">${fmtQuantity(t)}</text>`;
  });
  const bars = rows.map((r, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const it = `<rect x="${x.toFixed(1)}" y="${y(r.itKWh).toFixed(1)}" width="${w.toFixed(1)}" height="${(top + plotH - y(r.itKWh)).toFixed(1)}" fill="${IT_COLOUR}"><title>${r.month}: EIT ${fmtQuantity(r.itKWh)} kWh</title></rect>`;
    const over = `<rect x="${x.toFixed(1)}" y="${y(r.facilityKWh).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(r.itKWh) - y(r.facilityKWh)).toFixed(1)}" fill="${OVERHEAD_COLOUR}"><title>${r.month}: overhead ${fmtQuantity(r.facilityKWh - r.itKWh)} kWh</title></rect>`;
    const label = `<text x="${(x + w / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${r.month.slice(5)}</text>`;
    return it + over + label;
  });
  const unitTitle = `<text x="${left - 6}" y="10" text-anchor="end">${unit.name}</text>`;
  const svg = `<svg class="bars" viewBox="0 0 ${width} ${height}" role="img" aria-label="Facility energy by month in ${unit.name}: IT (dark) and overhead (light)">${unitTitle}${grid.join("")}${bars.join("")}</svg>`;
  const legend = [
    [IT_COLOUR, "IT energy (EIT)"],
    [OVERHEAD_COLOUR, "Overhead: cooling and power losses (EDC − EIT)"],
  ]
    .map(([colour, text]) => `<span class="legend-item"><i style="background: ${colour}"></i>${text}</span>`)
    .join("");
  return `<figure class="bar-chart">${svg}<figcaption class="legend">${legend}</figcaption></figure>`;
}

/** 0 and four or five round steps (1, 2 or 5 × 10ⁿ) up to the first at or above `max`. */
function roundTicks(max: number): number[] {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw)! * power;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => roundSignificant(i * step));
}
