// Fairness: what each tier and tenant received against what the policy entitles it to. A tier is entitled
// to its guarantee's share of the facility-operated GPUs (/v1/tiers); a tenant, inside its tier, to its
// fair-share weight's part of the tier's tenants' weights. Received is the share of GPU-hours over the span
// (an operator's view, as it needs every tenant's usage) and, for tiers, the share of GPUs held now, which
// every key may read. A tenant key sees its own tenant: its GPU-hours against its quota.
import { decimal } from "./format.js";
import { html } from "./html.js";

const pct = (share) => (share === null || !Number.isFinite(share) ? "–" : `${decimal(100 * share, 1)} %`);

function ShareBars({ received, entitled }) {
  const width = (share) => `${Math.min(100, Math.max(0, 100 * (share ?? 0)))}%`;
  return html`<span class="share-bars" aria-hidden="true">
    <span class="track"><span class="bar bar-received" style=${{ width: width(received) }}></span></span>
    <span class="track"><span class="bar bar-entitled" style=${{ width: width(entitled) }}></span></span>
  </span>`;
}

function Row({ name, entitled, received, extra = [], attrs = {} }) {
  const ratio = entitled > 0 && received !== null ? received / entitled : null;
  return html`<tr ...${attrs}>
    <th scope="row">${name}</th>
    ${extra.map((cell) => html`<td class="num">${cell}</td>`)}
    <td class="num">${pct(entitled)}</td>
    <td class="num">${pct(received)}</td>
    <td class="num" data-ratio=${ratio === null ? "" : ratio.toFixed(3)}>${ratio === null ? "–" : `${decimal(ratio, 2)}×`}</td>
    <td><${ShareBars} received=${received} entitled=${entitled} /></td>
  </tr>`;
}

const headings = (first, extra, received) => html`<thead>
  <tr>
    <th scope="col">${first}</th>
    ${extra.map((h) => html`<th scope="col" class="num">${h}</th>`)}
    <th scope="col" class="num">Entitled</th>
    <th scope="col" class="num">${received}</th>
    <th scope="col" class="num">Received / entitled</th>
    <th scope="col"><span class="legend-inline"><span class="swatch bar-received"></span>received <span class="swatch bar-entitled"></span>entitled</span></th>
  </tr>
</thead>`;

/** GPU-hours per tenant over every step. */
function gpuHoursByTenant(steps) {
  const by = new Map();
  for (const step of steps)
    for (const t of step.tenants) by.set(t.tenant, (by.get(t.tenant) ?? 0) + t.gpuHours);
  return by;
}

function TierTable({ tiers, byTier, total }) {
  const operatorView = byTier !== null;
  return html`<table data-fairness="tiers">
    <caption>Tiers: guaranteed share of the facility-operated GPUs against ${operatorView ? "GPU-hours received over the span and" : ""} GPUs held now</caption>
    ${headings("Tier", operatorView ? ["GPUs held now", "Share of GPU-hours, span"] : ["GPUs held now"], "Share held now")}
    <tbody>
      ${tiers.tiers.map((t) => {
        const entitled = tiers.facilityGpus > 0 ? t.guaranteedGpus / tiers.facilityGpus : null;
        const heldNow = tiers.facilityGpus > 0 ? t.allocatedGpus / tiers.facilityGpus : null;
        const extra = [t.allocatedGpus.toLocaleString("en-GB")];
        if (operatorView) extra.push(pct(total > 0 ? (byTier.get(t.tier) ?? 0) / total : null));
        return html`<${Row} name=${t.tier} entitled=${entitled} received=${heldNow} extra=${extra} attrs=${{ "data-tier-row": t.tier }} />`;
      })}
    </tbody>
  </table>`;
}

function TenantTable({ tenants, gpuHours }) {
  const tierTotals = new Map();
  const tierWeights = new Map();
  for (const t of tenants.values()) {
    tierWeights.set(t.tier, (tierWeights.get(t.tier) ?? 0) + t.weight);
    tierTotals.set(t.tier, (tierTotals.get(t.tier) ?? 0) + (gpuHours.get(t.id) ?? 0));
  }
  const rows = [...tenants.values()].sort((a, b) => a.tier.localeCompare(b.tier) || a.id.localeCompare(b.id));
  return html`<table data-fairness="tenants">
    <caption>Tenants: fair-share weight's part of their tier against their part of the tier's GPU-hours over the span</caption>
    ${headings("Tenant", ["Tier", "Weight", "GPU-hours"], "Received")}
    <tbody>
      ${rows.map((t) => {
        const tierHours = tierTotals.get(t.tier);
        const own = gpuHours.get(t.id) ?? 0;
        return html`<${Row}
          name=${t.id}
          entitled=${t.weight / tierWeights.get(t.tier)}
          received=${tierHours > 0 ? own / tierHours : null}
          extra=${[t.tier, decimal(t.weight, 0), decimal(own, 1)]}
          attrs=${{ "data-tenant-row": t.id }}
        />`;
      })}
    </tbody>
  </table>`;
}

function OwnTenant({ tenant, gpuHours, spanH }) {
  const meanGpus = gpuHours / spanH;
  return html`<dl class="figures" data-fairness="own">
    <div><dt>Tier</dt><dd>${tenant.tier}</dd></div>
    <div><dt>Fair-share weight</dt><dd>${decimal(tenant.weight, 0)}</dd></div>
    <div><dt>GPU-hours, ${spanH} h</dt><dd>${decimal(gpuHours, 1)}</dd></div>
    <div><dt>Mean GPUs held</dt><dd>${decimal(meanGpus, 1)}</dd></div>
    <div>
      <dt>Quota (${tenant.quotaMode})</dt>
      <dd>${tenant.quotaGpus === null ? "none" : `${tenant.quotaGpus.toLocaleString("en-GB")} GPUs (${pct(meanGpus / tenant.quotaGpus)} used on average)`}</dd>
    </div>
  </dl>`;
}

export function FairnessView({ me, data, spanH }) {
  const gpuHours = gpuHoursByTenant(data.steps);
  const operator = me.role === "operator";
  let byTier = null;
  let total = 0;
  if (operator) {
    byTier = new Map();
    for (const [tenant, hours] of gpuHours) {
      const tier = data.tenants.get(tenant)?.tier;
      byTier.set(tier, (byTier.get(tier) ?? 0) + hours);
      total += hours;
    }
  }
  const own = operator ? null : data.tenants.get(me.tenant);
  return html`<section class="card" aria-labelledby="fairness-title">
    <h2 id="fairness-title">Fairness: received against entitled</h2>
    <${TierTable} tiers=${data.tiers} byTier=${byTier} total=${total} />
    ${
      operator
        ? html`<${TenantTable} tenants=${data.tenants} gpuHours=${gpuHours} />`
        : own &&
          html`<h3>${own.id}</h3><${OwnTenant} tenant=${own} gpuHours=${gpuHours.get(own.id) ?? 0} spanH=${spanH} />
            <p class="muted">Other tenants' usage is theirs: a tenant's part of its tier shows to operators only.</p>`
    }
  </section>`;
}
