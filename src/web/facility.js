// The facility: each site's capacity and jurisdictions, and a floor map of its halls with every rack a
// small square filled by the GPUs in use on it, by tier or by tenant. Racks are buttons in a roving-focus
// grid (arrow keys, Home, End); Enter or a click opens the rack's nodes and the jobs on them.
import { useMemo, useRef, useState } from "preact/hooks";
import { api } from "./api.js";
import { count, minute, percent } from "./format.js";
import { html } from "./html.js";
import { useLiveData } from "./live.js";
import { FREE_COLOUR, OTHER_COLOUR, tenantColour, tierColour } from "./palette.js";
import { RackDetail } from "./rack-detail.js";

const shortId = (id) => id.slice(id.lastIndexOf("/") + 1);

async function loadFloor() {
  const [facility, occupancy, floor] = await Promise.all([
    api("/v1/facility"),
    api("/v1/facility/occupancy"),
    api("/v1/facility/racks"),
  ]);
  return { facility, occupancy, floor };
}

/** The colour keys of a mode, in legend order, each with its colour. */
function legendOf(mode, floor) {
  if (mode === "tier")
    return floor.tiers.map((tier, i) => ({ key: tier, label: tier, colour: tierColour(i) }));
  const tenants = new Set();
  for (const site of floor.sites)
    for (const hall of site.halls)
      for (const rack of hall.racks) for (const t in rack.allocatedByTenant) tenants.add(t);
  return [
    ...[...tenants].sort().map((tenant, i) => ({ key: tenant, label: tenant, colour: tenantColour(i) })),
    { key: null, label: "other tenants", colour: OTHER_COLOUR },
  ];
}

/** A bottom-up fill: one band per key in legend order, the rest free. */
function rackFill(rack, mode, legend) {
  const counts = mode === "tier" ? rack.allocatedByTier : rack.allocatedByTenant;
  const seen = Object.values(counts).reduce((a, b) => a + b, 0);
  const stops = [];
  let at = 0;
  for (const entry of legend) {
    const gpus = entry.key === null ? rack.allocatedGpus - seen : (counts[entry.key] ?? 0);
    if (gpus <= 0 || rack.gpus === 0) continue;
    const to = at + (100 * gpus) / rack.gpus;
    stops.push(`${entry.colour} ${at.toFixed(1)}% ${to.toFixed(1)}%`);
    at = to;
  }
  stops.push(`${FREE_COLOUR} ${at.toFixed(1)}% 100%`);
  return `linear-gradient(to top, ${stops.join(", ")})`;
}

function rackLabel(rack, mode) {
  const counts = mode === "tier" ? rack.allocatedByTier : rack.allocatedByTenant;
  const parts = Object.entries(counts).map(([k, n]) => `${k} ${count(n)}`);
  const down = rack.nodesUp < rack.nodes ? `, ${rack.nodes - rack.nodesUp} nodes down` : "";
  return `Rack ${shortId(rack.id)}: ${count(rack.allocatedGpus)} of ${count(rack.gpus)} GPUs in use${
    parts.length ? ` (${parts.join(", ")})` : ""
  }${down}`;
}

function RackGrid({ hall, mode, legend, onOpen }) {
  const [focused, setFocused] = useState(0);
  const grid = useRef(null);
  const move = (event) => {
    const columns = getComputedStyle(grid.current).gridTemplateColumns.split(" ").length;
    const last = hall.racks.length - 1;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
    let next = focused;
    if (step !== undefined) next = Math.min(last, Math.max(0, focused + step));
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = last;
    else return;
    event.preventDefault();
    setFocused(next);
    grid.current.children[next]?.focus();
  };
  return html`<div class="rack-grid" ref=${grid} onKeyDown=${move} role="group" aria-label="Racks of ${shortId(hall.hallId)}">
    ${hall.racks.map((rack, i) => {
      const label = rackLabel(rack, mode);
      return html`<button
        type="button"
        class="rack${rack.nodesUp < rack.nodes ? " rack-down" : ""}"
        tabindex=${i === focused ? 0 : -1}
        aria-label=${label}
        title=${label}
        data-rack=${rack.id}
        style=${{ background: rackFill(rack, mode, legend) }}
        onFocus=${() => setFocused(i)}
        onClick=${() => onOpen(rack.id)}
      ></button>`;
    })}
  </div>`;
}

function Capacity({ site, occupancy }) {
  const free = occupancy.availableGpus - occupancy.allocatedGpus;
  return html`<dl class="figures">
    <div><dt>GPUs</dt><dd>${count(occupancy.gpus)}</dd></div>
    <div><dt>On nodes up</dt><dd>${count(occupancy.availableGpus)}</dd></div>
    <div><dt>In use</dt><dd>${count(occupancy.allocatedGpus)} (${percent(occupancy.allocatedGpus, occupancy.availableGpus)})</dd></div>
    <div><dt>Free</dt><dd>${count(free)}</dd></div>
    <div><dt>Nodes up</dt><dd>${count(occupancy.nodesUp)} / ${count(occupancy.nodes)}</dd></div>
    <div><dt>Grid zone</dt><dd>${site.gridZone}</dd></div>
  </dl>`;
}

function Jurisdictions({ occupancy }) {
  const rows = new Map();
  for (const site of occupancy.sites)
    for (const tag of site.jurisdictions) {
      const row = rows.get(tag) ?? { sites: 0, gpus: 0, available: 0, allocated: 0 };
      row.sites += 1;
      row.gpus += site.gpus;
      row.available += site.availableGpus;
      row.allocated += site.allocatedGpus;
      rows.set(tag, row);
    }
  return html`<table>
    <caption>Capacity per jurisdiction</caption>
    <thead><tr><th scope="col">Jurisdiction</th><th scope="col" class="num">Sites</th><th scope="col" class="num">GPUs</th><th scope="col" class="num">In use</th><th scope="col" class="num">Free</th></tr></thead>
    <tbody>
      ${[...rows].map(
        ([tag, r]) =>
          html`<tr><th scope="row">${tag}</th><td class="num">${r.sites}</td><td class="num">${count(r.gpus)}</td><td class="num">${count(r.allocated)} (${percent(r.allocated, r.available)})</td><td class="num">${count(r.available - r.allocated)}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

/** Whether the site's executor answers, and what it said: a cluster that does not answer runs nothing new. */
function Reachable({ site }) {
  const when = site.executorCheckedAt ? ` (asked ${minute(site.executorCheckedAt)})` : "";
  const [label, cls] =
    site.executorReachable === null
      ? ["Reachable: not known yet", ""]
      : site.executorReachable
        ? ["Reachable", "badge-ok"]
        : ["Not reachable", "badge-down"];
  return html`<li class=${cls} title=${`${site.executorDetail}${when}`} data-reachable=${String(site.executorReachable)}>
    ${label}<span class="visually-hidden">: ${site.executorDetail}${when}</span>
  </li>`;
}

function Site({ site, floorSite, occupancy, mode, legend, onOpen }) {
  return html`<section class="card site" aria-labelledby="site-${site.id}">
    <header class="site-head">
      <h2 id="site-${site.id}">${site.name}</h2>
      <ul class="badges" aria-label="About this site">
        ${site.jurisdictions.map((j) => html`<li>${j}</li>`)}
        <li class=${site.operator === "tenant" ? "badge-tenant" : ""}>
          ${
            site.operator === "tenant"
              ? `Tenant-owned${site.operatorTenant ? `: ${site.operatorTenant}` : ""}`
              : "Facility-operated"
          }
        </li>
        <li>Executor: ${floorSite.executor}</li>
        <${Reachable} site=${floorSite} />
      </ul>
    </header>
    <${Capacity} site=${site} occupancy=${occupancy} />
    ${floorSite.halls.map(
      (hall) => html`<div class="hall">
        <h3>${shortId(hall.hallId)} <span class="muted">· ${count(hall.racks.length)} racks</span></h3>
        <${RackGrid} hall=${hall} mode=${mode} legend=${legend} onOpen=${onOpen} />
      </div>`,
    )}
  </section>`;
}

export function FacilityPage() {
  const [mode, setMode] = useState("tier");
  const [openRack, setOpenRack] = useState(null);
  // A job event redraws the floor within a second; a busy facility's stream of events costs at most one
  // read a second (the racks answer from memory), well within a key's rate limit.
  const { data, error } = useLiveData(loadFloor, { matters: (type) => type === "job", minGapMs: 1000 });
  const legend = useMemo(() => (data ? legendOf(mode, data.floor) : []), [data, mode]);
  if (data === null)
    return html`<h1>Facility</h1>${error ? html`<p role="alert" class="field-error">${error.message}</p>` : html`<p>Loading…</p>`}`;
  const { facility, occupancy, floor } = data;
  const occupancyOf = new Map(occupancy.sites.map((s) => [s.siteId, s]));
  const floorOf = new Map(floor.sites.map((s) => [s.siteId, s]));
  return html`<h1>Facility <span class="muted">· ${facility.name}</span></h1>
    <p class="muted" data-as-of=${floor.at}>As of ${minute(floor.at)} (the control plane's clock).</p>
    <div class="toolbar">
      <fieldset class="segmented">
        <legend>Colour racks by</legend>
        ${["tier", "tenant"].map(
          (m) =>
            html`<label><input type="radio" name="colour-by" value=${m} checked=${mode === m} onChange=${() => setMode(m)} /> ${m}</label>`,
        )}
      </fieldset>
      <ul class="legend" aria-label="Legend">
        ${legend.map((l) => html`<li><span class="swatch" style=${{ background: l.colour }}></span>${l.label}</li>`)}
        <li><span class="swatch" style=${{ background: FREE_COLOUR }}></span>free</li>
      </ul>
    </div>
    ${openRack && html`<${RackDetail} key=${openRack} rackId=${openRack} onClose=${() => setOpenRack(null)} />`}
    <${Jurisdictions} occupancy=${occupancy} />
    ${facility.sites.map(
      (site) =>
        html`<${Site}
          key=${site.id}
          site=${site}
          floorSite=${floorOf.get(site.id)}
          occupancy=${occupancyOf.get(site.id)}
          mode=${mode}
          legend=${legend}
          onOpen=${setOpenRack}
        />`,
    )}`;
}
