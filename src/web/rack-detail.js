// One rack opened from the floor map: its nodes, their state and the jobs on them that the key may see
// (other tenants' GPUs count as in use, nameless). Focus moves to it when it opens and back when it closes.
import { useEffect, useRef } from "preact/hooks";
import { api } from "./api.js";
import { count } from "./format.js";
import { html } from "./html.js";
import { useLiveData } from "./live.js";

export function RackDetail({ rackId, onClose }) {
  const heading = useRef(null);
  const opener = useRef(document.activeElement);
  const { data, error } = useLiveData(() => api(`/v1/facility/racks/${encodeURIComponent(rackId)}`), {
    matters: (type) => type === "job",
  });
  useEffect(() => heading.current?.focus(), [rackId]);
  const close = () => {
    onClose();
    opener.current?.focus?.();
  };
  const onKeyDown = (event) => {
    if (event.key === "Escape") close();
  };
  return html`<section class="card rack-detail" aria-labelledby="rack-detail-title" onKeyDown=${onKeyDown}>
    <header class="site-head">
      <h2 id="rack-detail-title" tabindex="-1" ref=${heading}>Rack ${rackId}</h2>
      <button type="button" class="quiet" onClick=${close}>Close</button>
    </header>
    ${error && html`<p role="alert" class="field-error">${error.message}</p>`}
    ${
      data === null
        ? html`<p>Loading…</p>`
        : html`<table>
          <caption>${data.rack.nodeType}: ${data.nodes.length} nodes</caption>
          <thead><tr><th scope="col">Node</th><th scope="col">State</th><th scope="col" class="num">GPUs in use</th><th scope="col">Jobs</th></tr></thead>
          <tbody>
            ${data.nodes.map((node) => {
              const hidden = node.allocatedGpus - node.jobs.reduce((sum, j) => sum + j.gpus, 0);
              return html`<tr>
                <th scope="row">${node.id.slice(node.id.lastIndexOf("/") + 1)}</th>
                <td>${node.state}</td>
                <td class="num">${count(node.allocatedGpus)} / ${count(node.gpus)}</td>
                <td>
                  <ul class="plain">
                    ${node.jobs.map(
                      (j) =>
                        html`<li><code>${j.jobId}</code> ${j.name} · ${j.tenant} · ${j.tier ?? "no tier"} · ${j.gpus} GPUs</li>`,
                    )}
                    ${hidden > 0 && html`<li class="muted">${hidden} GPUs: other tenants' jobs</li>`}
                  </ul>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>`
    }
  </section>`;
}
