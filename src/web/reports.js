// Reports: the EU data-centre report of a year (operators: GET /v1/reports/eed, the year so far for the
// current one) or a tenant's own footprint (GET /v1/reports/footprint), shown in the page and offered as
// the files `fjord report` writes (JSON from the answer shown, CSV and HTML from the API). Read when asked, not live: every read of
// the data-centre report is an audit entry.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import { count, decimal, minute } from "./format.js";
import { html } from "./html.js";
import { DownloadLinks, figureValue } from "./report-files.js";
import { SimulationReports } from "./simulation-reports.js";

const YEARS_BACK = 3;
const JOBS_SHOWN = 50;

const iso = (ms) => new Date(ms).toISOString();

function Coverage({ coverage }) {
  const span = `${minute(iso(coverage.fromMs))} → ${minute(iso(coverage.toMs))} (${count(coverage.hours)} h)`;
  return html`<p>${`Figures rest on ${span}: ${coverage.basis}.`}</p>
    <table>
      <caption>Sites</caption>
      <thead><tr><th scope="col">Site</th><th scope="col">Reported</th><th scope="col">Why</th><th scope="col" class="num">Runs</th></tr></thead>
      <tbody>
        ${coverage.sites.map(
          (s) =>
            html`<tr data-site=${s.siteId}><th scope="row">${s.name}</th><td>${s.reported ? "yes" : "no"}</td><td>${s.reason}</td><td class="num">${count(s.runs)}</td></tr>`,
        )}
      </tbody>
    </table>`;
}

function Section({ section }) {
  return html`<table class="report-section" data-section=${section.id}>
    <caption>${section.title}</caption>
    <thead><tr><th scope="col">Figure</th><th scope="col">Symbol</th><th scope="col" class="num">Value</th><th scope="col">Unit</th><th scope="col">Formula</th></tr></thead>
    <tbody>
      ${section.figures.map(
        (f) =>
          html`<tr data-figure=${f.key}><th scope="row">${f.label}</th><td>${f.symbol ?? ""}</td><td class="num">${figureValue(f.value)}</td><td>${f.unit}</td><td class="formula">${f.formula ?? ""}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

function EedReport({ report, year }) {
  return html`<section class="card" aria-labelledby="coverage-title">
      <h2 id="coverage-title">Data-centre report ${year}</h2>
      <p class="muted">${report.regulation}. Hourly signals: ${report.inputs.signals ?? "–"}.</p>
      <${DownloadLinks}
        path=${`/v1/reports/eed?year=${year}`}
        base=${`eed-report-${year}`}
        formats=${["csv", "html"]}
        report=${report}
      />
      <${Coverage} coverage=${report.coverage} />
    </section>
    ${report.dataCentres.map(
      (
        centre,
      ) => html`<section class="card" aria-labelledby="centre-${centre.siteId}" data-centre=${centre.siteId}>
        <h2 id="centre-${centre.siteId}">${centre.name}</h2>
        <p class="muted">Scheme ${centre.scheme}; ${centre.inScope ? "500 kW or more: reporting applies" : "below 500 kW: voluntary"}.</p>
        ${centre.sections.map((section) => html`<${Section} section=${section} />`)}
      </section>`,
    )}`;
}

const FOOTPRINT_COLUMNS = [
  ["gpuHours", "GPU-hours", 1],
  ["itKWh", "IT kWh", 1],
  ["facilityKWh", "Facility kWh", 1],
  ["waterL", "Water L", 1],
  ["heatReusedKWh", "Heat reused kWh", 1],
  ["co2eLocationKg", "CO2e kg (location)", 2],
  ["co2eMarketKg", "CO2e kg (market)", 2],
];

function FootprintTable({ caption, first, rows }) {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${first}</th>${FOOTPRINT_COLUMNS.map(([, title]) => html`<th scope="col" class="num">${title}</th>`)}</tr></thead>
    <tbody>
      ${rows.map(
        ([name, f]) =>
          html`<tr><th scope="row">${name}</th>${FOOTPRINT_COLUMNS.map(([key, , digits]) => html`<td class="num">${decimal(f[key], digits)}</td>`)}</tr>`,
      )}
    </tbody>
  </table>`;
}

function Footprint({ report, year }) {
  return html`<section class="card" aria-labelledby="footprint-title">
    <h2 id="footprint-title">Footprint of ${report.tenantId}, ${year}</h2>
    <p class="muted">${minute(iso(report.period.fromMs))} → ${minute(iso(report.period.toMs))}; modelled from the stored runs, not metered.</p>
    <${DownloadLinks}
      path=${`/v1/reports/footprint?year=${year}`}
      base=${`footprint-${report.tenantId}-${year}`}
      formats=${["csv"]}
      report=${report}
    />
    <${FootprintTable} caption="Total and months" first="Month" rows=${[["all", report.total], ...report.months.map((m) => [m.month, m])]} />
    <${FootprintTable}
      caption=${`Jobs${report.jobs.length > JOBS_SHOWN ? ` (the first ${JOBS_SHOWN} of ${count(report.jobs.length)}; every one is in the files)` : ""}`}
      first="Job"
      rows=${report.jobs.slice(0, JOBS_SHOWN).map((j) => [j.jobId, j.total])}
    />
  </section>`;
}

export function ReportsPage({ me }) {
  const operator = me.role === "operator";
  const [years, setYears] = useState(null);
  const [state, setState] = useState({ year: null, report: null, error: null, busy: false, at: null });
  const load = async (year) => {
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      const path = operator ? `/v1/reports/eed?year=${year}` : `/v1/reports/footprint?year=${year}`;
      const [report, tiers] = await Promise.all([api(path), api("/v1/tiers")]);
      setState({ year, report, error: null, busy: false, at: tiers.at });
    } catch (error) {
      setState((s) => ({ ...s, error, busy: false }));
    }
  };
  useEffect(() => {
    api("/v1/tiers").then(
      ({ at }) => {
        const now = new Date(at).getUTCFullYear();
        setYears(Array.from({ length: YEARS_BACK }, (_, i) => now - i));
        load(now);
      },
      (error) => setState((s) => ({ ...s, error })),
    );
  }, []);
  const submit = (event) => {
    event.preventDefault();
    load(Number(new FormData(event.currentTarget).get("year")));
  };
  return html`<h1>Reports</h1>
    <p class="muted">
      ${
        operator
          ? "The EU data-centre report (Delegated Regulation (EU) 2024/1364) of each facility-operated site, from the stored runs; the current year gives the year so far. "
          : `${me.tenant}'s energy, water, heat and CO2e footprint per month and job, from the stored runs. `
      }
      ${operator ? "Simulation reports of the runs fjord simulate wrote follow below." : "Simulation reports are for operators."}
    </p>
    ${
      years &&
      html`<form class="toolbar" onSubmit=${submit} aria-label="Report period">
        <label class="inline">Year
          <select name="year" value=${state.year ?? years[0]}>
            ${years.map((y) => html`<option value=${y}>${y}${y === years[0] ? " (so far)" : ""}</option>`)}
          </select>
        </label>
        <button type="submit" disabled=${state.busy}>${state.busy ? "Reading…" : "Show report"}</button>
      </form>`
    }
    ${state.error && html`<p role="alert" class="field-error">${state.error.message}</p>`}
    ${
      state.report === null
        ? !state.error && html`<p>Loading…</p>`
        : html`<p class="muted" data-as-of=${state.at}>Read at ${minute(state.at)} (the control plane's clock).</p>
          ${operator ? html`<${EedReport} report=${state.report} year=${state.year} />` : html`<${Footprint} report=${state.report} year=${state.year} />`}`
    }
    ${operator && html`<${SimulationReports} />`}`;
}
