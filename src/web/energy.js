// Energy: the facility's indicators (PUE, WUE, ERF, REF, CUE) per site for operators, from the EED report
// of the year so far, or a tenant's own from its footprint report; and the power its jobs drew, hour by
// hour over the last half day, from /v1/usage. Refreshed as the scheduler reports passes, at most every 30 s.
import { api } from "./api.js";
import { decimal, minute } from "./format.js";
import { html } from "./html.js";
import { useLiveData } from "./live.js";
import { PowerChart } from "./power-chart.js";

const HOURS = 12;
const REFRESH_GAP_MS = 30_000;
const HOUR_MS = 3_600_000;

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

/** Facility and IT power per hour, kW: each hour's energy over one hour. */
async function hourlyPower(nowMs) {
  const endMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  const hours = Array.from({ length: HOURS }, (_, i) => endMs - (HOURS - i) * HOUR_MS);
  const usage = await Promise.all(
    hours.map((fromMs) => {
      const to = new Date(Math.min(fromMs + HOUR_MS, nowMs)).toISOString();
      return api(`/v1/usage?from=${new Date(fromMs).toISOString()}&to=${to}`);
    }),
  );
  const sum = (u, field) => u.tenants.reduce((total, t) => total + t[field], 0);
  const hoursLong = (i) => (Math.min(hours[i] + HOUR_MS, nowMs) - hours[i]) / HOUR_MS;
  return {
    times: hours.map((ms) => ms / 1000),
    facilityKW: usage.map((u, i) => sum(u, "facilityEnergyKWh") / hoursLong(i)),
    itKW: usage.map((u, i) => sum(u, "itEnergyKWh") / hoursLong(i)),
  };
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

/** The hourly power, read apart from the indicators: a dozen usage reads take seconds on a busy facility. */
function Power({ me }) {
  const { data, error } = useLiveData(async () => hourlyPower(await serviceNowMs()), {
    matters: (type) => type === "queue",
    minGapMs: REFRESH_GAP_MS,
  });
  return html`<section class="card" aria-labelledby="power-title">
    <h2 id="power-title">Power drawn by ${me.role === "operator" ? "the tenants'" : "your"} jobs, last ${HOURS} hours</h2>
    <p class="muted">Hourly means in kW; idle capacity is the facility's own and not counted here.</p>
    ${error && html`<p role="alert" class="field-error">${error.message}</p>`}
    ${
      data === null
        ? html`<p>Loading…</p>`
        : html`<${PowerChart} power=${data} />
          <table class="visually-hidden">
            <caption>Power per hour</caption>
            <thead><tr><th scope="col">Hour</th><th scope="col">Facility kW</th><th scope="col">IT kW</th></tr></thead>
            <tbody>
              ${data.times.map(
                (t, i) =>
                  html`<tr><th scope="row">${minute(new Date(t * 1000).toISOString())}</th><td>${decimal(data.facilityKW[i], 1)}</td><td>${decimal(data.itKW[i], 1)}</td></tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

export function EnergyPage({ me }) {
  const { data, error } = useLiveData(() => loadIndicators(me), {
    matters: (type) => type === "queue",
    minGapMs: REFRESH_GAP_MS,
  });
  return html`<h1>Energy</h1>
    ${
      data === null
        ? error
          ? html`<p role="alert" class="field-error">Indicators: ${error.message}</p>`
          : html`<p>Loading…</p>`
        : html`<p class="muted" data-as-of=${data.at}>Modelled from the jobs' GPU-hours and the hourly signals, not metered; as of ${minute(data.at)}.</p>
          <div class="kpi-groups">${data.groups.map((g) => html`<${Indicators} group=${g} />`)}</div>`
    }
    ${
      // Read after the indicators: they share the accounting thread with the slower hourly reads.
      (data !== null || error !== null) && html`<${Power} me=${me} />`
    }`;
}
