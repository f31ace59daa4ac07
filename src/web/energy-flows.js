// A site's energy and heat as a Sankey diagram, from /v1/facility/energy: renewable supply and the grid
// into the facility's energy (EDC); out of it the IT load, cooling per path, UPS and transformer losses and
// auxiliary load; and the IT load's heat to each offtaker and the outdoors. With it, the water the site used
// against what an evaporative-cooled facility would have used for the same IT energy.
import { decimal } from "./format.js";
import { html } from "./html.js";
import { Sankey } from "./sankey.js";

const SOURCE_LABELS = {
  "on-site": "On-site",
  ppa: "PPA",
  "guarantees-of-origin": "GoO",
};
const SOURCE_FIELDS = { "on-site": "onSiteKWh", ppa: "ppaKWh", "guarantees-of-origin": "guaranteesKWh" };

/** Every numeric field of the hours summed; offtakers element by element. */
export function sumHours(hours) {
  const total = { offtakerKWh: [] };
  for (const h of hours)
    for (const [k, v] of Object.entries(h)) {
      if (k === "offtakerKWh")
        for (const [i, x] of v.entries()) total.offtakerKWh[i] = (total.offtakerKWh[i] ?? 0) + x;
      else if (typeof v === "number") total[k] = (total[k] ?? 0) + v;
    }
  return total;
}

/** Nodes and links of one site's flows summed over some of its hours. */
export function siteFlows(site, t) {
  const kinds = [...new Set(site.sources.map((s) => s.kind))];
  const sources = kinds.map((kind) => {
    const ids = site.sources.filter((s) => s.kind === kind).map((s) => s.id);
    return {
      id: `src-${kind}`,
      label: `${SOURCE_LABELS[kind] ?? kind} ${ids.join(", ")}`,
      value: t[SOURCE_FIELDS[kind]] ?? 0,
    };
  });
  const nodes = [
    ...sources.map((s) => ({ id: s.id, label: s.label, column: 0, colour: "#2b7a3d" })),
    { id: "grid", label: "Grid, not covered", column: 0, colour: "#4d4d4d" },
    { id: "edc", label: "Facility energy", column: 1, colour: "#0b4f6c" },
    { id: "it", label: "IT load", column: 2, colour: "#b35900" },
    { id: "cool-liquid", label: "Liquid cooling", column: 2, colour: "#0072b2" },
    { id: "cool-air", label: "Air cooling", column: 2, colour: "#56b4e9" },
    { id: "ups", label: "UPS losses", column: 2, colour: "#a3195b" },
    { id: "transformer", label: "Transformer losses", column: 2, colour: "#cc79a7" },
    { id: "aux", label: "Auxiliary load", column: 2, colour: "#8a6d00" },
    ...site.offtakers.map((o, i) => ({
      id: `heat-${i}`,
      label: `Heat to ${o.id}`,
      column: 3,
      colour: "#d55e00",
    })),
    { id: "rejected", label: "Heat rejected outdoors", column: 3, colour: "#6b7785" },
  ];
  const links = [
    ...sources.map((s) => ({ source: s.id, target: "edc", value: s.value })),
    { source: "grid", target: "edc", value: t.gridKWh },
    { source: "edc", target: "it", value: t.itKWh },
    { source: "edc", target: "cool-liquid", value: t.coolingLiquidKWh },
    { source: "edc", target: "cool-air", value: t.coolingAirKWh },
    { source: "edc", target: "ups", value: t.upsLossKWh },
    { source: "edc", target: "transformer", value: t.transformerLossKWh },
    { source: "edc", target: "aux", value: t.auxiliaryKWh },
    ...site.offtakers.map((_, i) => ({ source: "it", target: `heat-${i}`, value: t.offtakerKWh[i] ?? 0 })),
    { source: "it", target: "rejected", value: t.heatRejectedKWh },
  ];
  return { nodes, links };
}

/** Energy as MWh or kWh; per hour, the same figure is a mean power in MW or kW. */
export function energyFormat(perHour) {
  return (kWh) =>
    kWh >= 1000
      ? `${decimal(kWh / 1000, 2)} ${perHour ? "MW" : "MWh"}`
      : `${decimal(kWh, 1)} ${perHour ? "kW" : "kWh"}`;
}

export function EnergySankey({ site, totals, perHour, spanLabel }) {
  const { nodes, links } = siteFlows(site, totals);
  return html`<${Sankey}
    nodes=${nodes}
    links=${links}
    format=${energyFormat(perHour)}
    label="Energy and heat flows of ${site.name}, ${spanLabel}"
  />`;
}

export function Water({ totals }) {
  const used = totals.waterL ?? 0;
  const baseline = totals.baselineWaterL ?? 0;
  const widthOf = (litres) => `${baseline > 0 ? Math.min(100, (100 * litres) / baseline) : 0}%`;
  const litres = (l) => (l >= 1000 ? `${decimal(l / 1000, 2)} m³` : `${decimal(l, 0)} L`);
  const saved = baseline > 0 ? 1 - used / baseline : null;
  return html`<dl class="water" data-water-saved=${saved === null ? "" : saved.toFixed(4)}>
    <div>
      <dt>Water used</dt>
      <dd><span class="track"><span class="bar bar-used" style=${{ width: widthOf(used) }}></span></span> ${litres(used)}</dd>
    </div>
    <div>
      <dt>Evaporative-cooled baseline (${decimal(totals.itKWh > 0 ? baseline / totals.itKWh : null, 1)} L/kWh IT)</dt>
      <dd><span class="track"><span class="bar bar-baseline" style=${{ width: widthOf(baseline) }}></span></span> ${litres(baseline)}</dd>
    </div>
    <div>
      <dt>Saved</dt>
      <dd>${saved === null ? "–" : `${decimal(100 * saved, 1)} %`} (${litres(baseline - used)})</dd>
    </div>
  </dl>`;
}
