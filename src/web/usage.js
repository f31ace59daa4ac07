// Usage: GPU-hours, facility energy and CO2e per tenant or per tier over the last hours, one /v1/usage read
// per step (the API gives an operator every tenant and a tenant its own only), and the fairness view:
// what each tier and tenant received against what the policy entitles it to. Re-read after job events, at
// most every 30 s, as each step is an accounting run.
import { useState } from "preact/hooks";
import { api } from "./api.js";
import { FairnessView } from "./fairness.js";
import { decimal, minute } from "./format.js";
import { html } from "./html.js";
import { useLiveData } from "./live.js";
import { tenantColour, tierColour } from "./palette.js";
import { SeriesChart } from "./series-chart.js";

const REFRESH_GAP_MS = 30_000;
const HOUR_MS = 3_600_000;
const STEPS = 12;
/** Spans offered, each as 12 steps. */
const SPANS = [
  { id: "12h", label: "12 hours", stepH: 1 },
  { id: "24h", label: "24 hours", stepH: 2 },
  { id: "7d", label: "7 days", stepH: 14 },
];
const MEASURES = [
  { field: "gpuHours", title: "GPU-hours", unit: "GPU-h", digits: 1 },
  { field: "facilityEnergyKWh", title: "Facility energy", unit: "kWh", digits: 1 },
  { field: "co2eKgLocationBased", title: "CO2e, location-based", unit: "kg", digits: 2 },
];

/** Each tenant's tier: every tenant for an operator, its own for a tenant key. */
async function tiersOfTenants(me) {
  const tenants =
    me.role === "operator"
      ? (await api("/v1/tenants")).items
      : [await api(`/v1/tenants/${encodeURIComponent(me.tenant)}`)];
  return new Map(tenants.map((t) => [t.id, t]));
}

async function loadUsage(me, stepH) {
  const [tiers, tenants] = await Promise.all([api("/v1/tiers"), tiersOfTenants(me)]);
  const nowMs = Date.parse(tiers.at);
  const stepMs = stepH * HOUR_MS;
  const endMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  const starts = Array.from({ length: STEPS }, (_, i) => endMs - (STEPS - i) * stepMs);
  // Steps one after another: each is an accounting run on the same thread, and the key has a rate limit.
  const steps = [];
  for (const fromMs of starts) {
    const to = new Date(Math.min(fromMs + stepMs, nowMs)).toISOString();
    steps.push(await api(`/v1/usage?from=${new Date(fromMs).toISOString()}&to=${to}`));
  }
  return { at: tiers.at, starts, steps, tiers, tenants };
}

/** Per group (tenant or tier), each measure's value per step. */
function groupSeries(data, by) {
  const tierOrder = data.tiers.tiers.map((t) => t.tier);
  const groupOf = (tenant) => (by === "tier" ? (data.tenants.get(tenant)?.tier ?? "unknown tier") : tenant);
  const names = new Set();
  for (const step of data.steps) for (const t of step.tenants) names.add(groupOf(t.tenant));
  const ordered =
    by === "tier"
      ? [...names].sort((a, b) => tierOrder.indexOf(a) - tierOrder.indexOf(b))
      : [...names].sort();
  const index = new Map(ordered.map((name, i) => [name, i]));
  return MEASURES.map((m) => ({
    ...m,
    series: ordered.map((name, i) => ({
      label: name,
      colour: by === "tier" ? tierColour(tierOrder.indexOf(name)) : tenantColour(i),
      values: data.steps.map((step) =>
        step.tenants.filter((t) => index.get(groupOf(t.tenant)) === i).reduce((s, t) => s + t[m.field], 0),
      ),
    })),
  }));
}

function Totals({ measures, by }) {
  return html`<table>
    <caption>Totals over the span, per ${by}</caption>
    <thead>
      <tr><th scope="col">${by === "tier" ? "Tier" : "Tenant"}</th>${measures.map((m) => html`<th scope="col" class="num">${m.title} (${m.unit})</th>`)}</tr>
    </thead>
    <tbody>
      ${measures[0].series.map(
        (s, i) =>
          html`<tr data-usage-row=${s.label}><th scope="row">${s.label}</th>${measures.map(
            (m) =>
              html`<td class="num">${decimal(
                m.series[i].values.reduce((a, b) => a + b, 0),
                m.digits,
              )}</td>`,
          )}</tr>`,
      )}
    </tbody>
  </table>`;
}

function UsageBody({ me, span, by }) {
  const { data, error } = useLiveData(() => loadUsage(me, span.stepH), {
    matters: (type) => type === "job",
    minGapMs: REFRESH_GAP_MS,
  });
  if (data === null)
    return error ? html`<p role="alert" class="field-error">${error.message}</p>` : html`<p>Loading…</p>`;
  const measures = groupSeries(data, by);
  const times = data.starts.map((ms) => ms / 1000);
  return html`<p class="muted" data-as-of=${data.at}>
      ${STEPS} steps of ${span.stepH} h up to ${minute(data.at)} (the control plane's clock), modelled from the
      stored runs, not metered; the last step runs to now.
    </p>
    ${error && html`<p role="alert" class="field-error">${error.message}</p>`}
    ${measures.map(
      (m) => html`<section class="card" aria-labelledby="usage-${m.field}">
        <h2 id="usage-${m.field}">${m.title} per ${by}, ${m.unit} per ${span.stepH} h</h2>
        <${SeriesChart}
          key=${by}
          times=${times}
          series=${m.series}
          unit=${m.unit}
          label="${m.title} per ${by} over the last ${span.label}"
        />
      </section>`,
    )}
    <section class="card"><${Totals} measures=${measures} by=${by} /></section>
    <${FairnessView} me=${me} data=${data} spanH=${STEPS * span.stepH} />`;
}

export function UsagePage({ me }) {
  const [spanId, setSpanId] = useState("12h");
  const [by, setBy] = useState("tenant");
  const span = SPANS.find((s) => s.id === spanId);
  return html`<h1>Usage <span class="muted">· ${me.role === "operator" ? "every tenant" : me.tenant}</span></h1>
    <div class="toolbar">
      <label class="inline">Span
        <select value=${spanId} onChange=${(e) => setSpanId(e.currentTarget.value)}>
          ${SPANS.map((s) => html`<option value=${s.id}>${s.label}</option>`)}
        </select>
      </label>
      ${
        // A tenant key sees its own usage only: per tier it would pass for the whole tier's.
        me.role === "operator" &&
        html`<fieldset class="segmented">
          <legend>Group by</legend>
          ${["tenant", "tier"].map(
            (m) =>
              html`<label><input type="radio" name="usage-by" value=${m} checked=${by === m} onChange=${() => setBy(m)} /> ${m}</label>`,
          )}
        </fieldset>`
      }
    </div>
    <${UsageBody} key=${spanId} me=${me} span=${span} by=${by} />`;
}
