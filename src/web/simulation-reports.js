// Simulation reports for operators: the runs `fjord simulate` wrote under the directory the service was
// started with (`fjord serve --simulation-reports DIR`), each viewable in the page and downloadable. The
// report is shown in a sandboxed frame (its own origin, so its scripts reach neither the key nor the API)
// and may run only the chart scripts Fjord inlines, which the page's policy names by hash.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, apiFile } from "./api.js";
import { count, minute } from "./format.js";
import { html } from "./html.js";
import { save } from "./report-files.js";

function RunRow({ run, onView, viewing }) {
  const { inputs } = run;
  return html`<tr data-run=${run.id}>
    <th scope="row">${run.title}</th>
    <td><code>${inputs.policy}</code></td>
    <td><code>${inputs.workload}</code></td>
    <td>${minute(run.writtenAt)}</td>
    <td class="num">${count(Math.round(run.reportBytes / 1024))} KiB</td>
    <td>
      <button type="button" class="quiet" aria-pressed=${viewing ? "true" : "false"} onClick=${() => onView(run)}>
        View<span class="visually-hidden"> ${run.title}</span>
      </button>
    </td>
  </tr>`;
}

function ReportView({ run, onClose }) {
  const [state, setState] = useState({ page: null, error: null });
  useEffect(() => {
    let current = true;
    apiFile(run.reportUrl)
      .then((blob) => blob.text().then((page) => current && setState({ page, blob, error: null })))
      .catch((error) => current && setState({ page: null, error }));
    return () => {
      current = false;
    };
  }, [run.reportUrl]);
  return html`<section class="card" aria-labelledby="simulation-view-title" data-simulation-view=${run.id}>
    <h3 id="simulation-view-title">${run.title}</h3>
    <div class="downloads">
      <button type="button" class="quiet" disabled=${state.blob === undefined} onClick=${() => save(state.blob, `${run.id}-report.html`)}>
        Download report.html
      </button>
      <button type="button" class="quiet" onClick=${onClose}>Close</button>
    </div>
    ${state.error && html`<p role="alert" class="field-error">${state.error instanceof ApiError ? state.error.message : `Fjord did not answer (${state.error.message})`}</p>`}
    ${state.page === null ? !state.error && html`<p>Loading…</p>` : html`<iframe class="simulation-report" title=${`Simulation report: ${run.title}`} sandbox="allow-scripts" srcdoc=${state.page}></iframe>`}
  </section>`;
}

export function SimulationReports() {
  const [state, setState] = useState({ list: null, error: null });
  const [viewing, setViewing] = useState(null);
  useEffect(() => {
    api("/v1/simulation-reports").then(
      (list) => setState({ list, error: null }),
      (error) => setState({ list: null, error }),
    );
  }, []);
  const { list, error } = state;
  return html`<section class="card" aria-labelledby="simulation-title" data-simulation-reports>
    <h2 id="simulation-title">Simulation reports</h2>
    ${error && html`<p role="alert" class="field-error">${error.message}</p>`}
    ${list === null && !error && html`<p>Loading…</p>`}
    ${
      list &&
      !list.enabled &&
      html`<p class="muted">Start <code>fjord serve</code> with <code>--simulation-reports DIR</code> to list here the runs <code>fjord simulate --out DIR/NAME</code> wrote.</p>`
    }
    ${list?.enabled && list.runs.length === 0 && html`<p class="muted">No runs of <code>fjord simulate</code> in the directory yet.</p>`}
    ${
      list?.enabled &&
      list.runs.length > 0 &&
      html`<div class="scroll"><table>
        <caption>Runs, newest first</caption>
        <thead><tr><th scope="col">Report</th><th scope="col">Policy</th><th scope="col">Workload</th><th scope="col">Written</th><th scope="col" class="num">Size</th><th scope="col"><span class="visually-hidden">View</span></th></tr></thead>
        <tbody>${list.runs.map((run) => html`<${RunRow} key=${run.id} run=${run} viewing=${viewing?.id === run.id} onView=${setViewing} />`)}</tbody>
      </table></div>`
    }
    ${
      list?.skipped.length > 0 &&
      html`<details><summary>${count(list.skipped.length)} ${list.skipped.length === 1 ? "entry is" : "entries are"} not a run</summary>
        <ul>${list.skipped.map((s) => html`<li><code>${s.name}</code>: ${s.reason}</li>`)}</ul>
      </details>`
    }
    ${viewing && html`<${ReportView} key=${viewing.id} run=${viewing} onClose=${() => setViewing(null)} />`}
  </section>`;
}
