// Energy: each site's energy and heat flows (a Sankey diagram), its water against the evaporative-cooled
// baseline and its power hour by hour, from /v1/facility/energy, re-read within a second of a job event;
// and the indicators (PUE, WUE, ERF, REF, CUE) of the year so far per site for operators, from the EED
// report, or a tenant's own from its footprint report, refreshed as the scheduler reports passes, at most
// every 30 s (each EED read is an audit entry).
import { useState } from "preact/hooks";
import { api } from "./api.js";
import { EnergySankey, sumHours, Water } from "./energy-flows.js";
import { decimal, minute } from "./format.js";
import { html } from "./html.js";
import { useLiveData } from "./live.js";
import { PowerChart } from "./power-chart.js";

const REFRESH_GAP_MS = 30_000;
const FLOWS_GAP_MS = 1000;

/** What each indicator means, shown as its tooltip. */
const KPI_HELP = {
  PUE: "Power usage effectiveness: facility energy / IT energy (ISO/IEC 30134-2)",
  WUE: "Water usage effectiveness: litres of water / IT kWh (ISO/IEC 30134-9)",
  ERF: "Energy reuse factor: reused heat / facility energy (ISO/IEC 30134-6)",
  REF: "Renewable energy factor: renewable / facility energy (ISO/IEC 30134-3)",
  CUE: "Carbon usage effectiveness: kg CO2e (location-based) / IT kWh (ISO/IEC 30134-8)",
};

function figureOf(centre, key) {
  for (const section of centre.sections) for (const f of section.figures) if (f.key === key) return f.value;
  return null;
}

async function siteIndicators(year) {
  const report = await api(`/v1/reports/eed?year=${year}`);
  return report.dataCentres.map((centre) => ({
    title: centre.name,
    values: {
      PUE: figureOf(centre, "PUE"),
      WUE: figureOf(centre, "WUE"),
      ERF: figureOf(centre, "ERF"),
      REF: figureOf(centre, "REF"),
      CUE: figureOf(centre, "CUE-location"),
    },
  }));
}

async function tenantIndicators(me, year) {
  const { total } = await api(`/v1/reports/footprint?year=${year}`);
  const ratio = (a, b) => (b > 0 ? a / b : null);
  return [
    {
      title: `${me.tenant}'s share, ${year} so far`,
      values: {
        PUE: ratio(total.facilityKWh, total.itKWh),
        WUE: ratio(total.waterL, total.itKWh),
        ERF: ratio(total.heatReusedKWh, total.facilityKWh),
        REF: ratio(total.renewableKWh, total.facilityKWh),
        CUE: ratio(total.co2eLocationKg, total.itKWh),
      },
    },
  ];
}

/** The control plane's clock, which the simulated executor may run faster than the wall's. */
async function serviceNowMs() {
  return Date.parse((await api("/v1/tiers")).at);
}

async function loadIndicators(me) {
  const nowMs = await serviceNowMs();
  const year = new Date(nowMs).getUTCFullYear();
  const groups = await (me.role === "operator" ? siteIndicators(year) : tenantIndicators(me, year));
  return { at: new Date(nowMs).toISOString(), groups };
}

function Indicators({ group }) {
  const show = {
    PUE: decimal(group.values.PUE, 3),
    WUE: `${decimal(group.values.WUE, 2)} L/kWh`,
    ERF: decimal(group.values.ERF, 3),
    REF: decimal(group.values.REF, 3),
    CUE: `${decimal(group.values.CUE, 4)} kg/kWh`,
  };
  return html`<section class="card" aria-label=${group.title}>
    <h2>${group.title}</h2>
    <dl class="kpis">
      ${Object.entries(show).map(
        ([symbol, value]) =>
          html`<div data-kpi=${symbol}><dt><abbr title=${KPI_HELP[symbol]}>${symbol}</abbr></dt><dd>${value}</dd></div>`,
      )}
    </dl>
  </section>`;
}

/** A site's flows over the span chosen, its water, and its power hour by hour. */
function Flows({ data }) {
  const sites = data.sites.filter((s) => s.hours.length > 0);
  const [siteId, setSiteId] = useState(sites[0]?.siteId);
  const [span, setSpan] = useState("now");
  const site = sites.find((s) => s.siteId === siteId) ?? sites[0];
  if (site === undefined) return html`<p>No hours recorded yet.</p>`;
  const now = site.hours.filter((h) => h.projected);
  const hours = span === "now" && now.length > 0 ? now : site.hours;
  const spanLabel =
    span === "now"
      ? "the hour in progress, at the load running now (mean power)"
      : `${minute(data.from)} to ${minute(data.to)} (${site.hours.length} h)`;
  const totals = sumHours(hours);
  return html`<div class="toolbar">
      <label class="inline">Site
        <select value=${site.siteId} onChange=${(e) => setSiteId(e.currentTarget.value)}>
          ${sites.map((s) => html`<option value=${s.siteId}>${s.name}</option>`)}
        </select>
      </label>
      <fieldset class="segmented">
        <legend>Span</legend>
        ${[
          ["now", "Now"],
          ["period", `Last ${site.hours.length} h`],
        ].map(
          ([value, label]) =>
            html`<label><input type="radio" name="flow-span" value=${value} checked=${span === value} onChange=${() => setSpan(value)} /> ${label}</label>`,
        )}
      </fieldset>
    </div>
    <p class="muted">${spanLabel}</p>
    <${EnergySankey} site=${site} totals=${totals} perHour=${span === "now"} spanLabel=${spanLabel} />
    <h3>Water</h3>
    <${Water} totals=${totals} />
    <h3>Power per hour</h3>
    <${PowerChart}
      power=${{
        times: site.hours.map((h) => Date.parse(h.at) / 1000),
        facilityKW: site.hours.map((h) => h.facilityKWh),
        itKW: site.hours.map((h) => h.itKWh),
      }}
    />
    <p class="muted">Hourly means in kW; the last hour is the one in progress, at the load running now.</p>`;
}

export function EnergyPage({ me }) {
  // A job starting or ending changes the hour in progress: re-read within a second of its event.
  const flows = useLiveData(() => api("/v1/facility/energy"), {
    matters: (type) => type === "job",
    minGapMs: FLOWS_GAP_MS,
  });
  const indicators = useLiveData(() => loadIndicators(me), {
    matters: (type) => type === "queue",
    minGapMs: REFRESH_GAP_MS,
  });
  return html`<h1>Energy</h1>
    <section class="card" aria-labelledby="flows-title">
      <h2 id="flows-title">Where the energy goes</h2>
      ${
        flows.data === null
          ? flows.error
            ? html`<p role="alert" class="field-error">Flows: ${flows.error.message}</p>`
            : html`<p>Loading…</p>`
          : html`<p class="muted" data-as-of=${flows.data.at}>
                Modelled from the jobs' GPU-hours and the hourly signals, not metered; as of ${minute(flows.data.at)}.
              </p>
              <${Flows} data=${flows.data} />`
      }
      ${flows.data !== null && flows.error && html`<p role="alert" class="field-error">${flows.error.message}</p>`}
    </section>
    <h2>Indicators, the year so far</h2>
    ${
      indicators.data === null
        ? indicators.error
          ? html`<p role="alert" class="field-error">Indicators: ${indicators.error.message}</p>`
          : html`<p>Loading…</p>`
        : html`<div class="kpi-groups" data-indicators-as-of=${indicators.data.at}>
            ${indicators.data.groups.map((g) => html`<${Indicators} group=${g} />`)}
          </div>`
    }`;
}
