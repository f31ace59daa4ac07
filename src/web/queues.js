// Queues: per tier what runs (GPUs held, guaranteed and borrowed) and what waits, with each waiting job's
// reason and estimated start; then the key's own jobs (every tenant's for operators) with cancel, and for
// tenant keys a form to submit one, showing the API's refusals next to the field they name.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import { count, minute } from "./format.js";
import { html } from "./html.js";
import { useEvents, useLiveData } from "./live.js";
import { SubmitJob } from "./submit-job.js";

const WAITING_SHOWN = 20;
/** Waiting entries read per tier: enough to give the reason of most of a tenant's own queued jobs. */
const WAITING_READ = 200;
const JOBS_SHOWN = 100;
/** Queued jobs read at once (the API's largest page): each shows with its reason and a cancel button. */
const QUEUED_READ = 1000;

async function loadQueues() {
  const [tiers, queue] = await Promise.all([api("/v1/tiers"), api(`/v1/queue?limit=${WAITING_READ}`)]);
  return { tiers, queue };
}

function TierCard({ tier, waiting }) {
  const guaranteeUsed = Math.min(tier.allocatedGpus, tier.guaranteedGpus);
  return html`<section class="card tier" aria-labelledby="tier-${tier.tier}" data-tier=${tier.tier}>
    <h2 id="tier-${tier.tier}">${tier.tier}</h2>
    <dl class="figures">
      <div><dt>Running on</dt><dd>${count(tier.allocatedGpus)} GPUs</dd></div>
      <div><dt>Guaranteed</dt><dd>${count(tier.guaranteedGpus)} GPUs</dd></div>
      <div><dt>Borrowed</dt><dd>${count(tier.borrowedGpus)} GPUs</dd></div>
      <div><dt>Borrowing limit</dt><dd>${tier.borrowingLimitGpus === null ? "none" : `${count(tier.borrowingLimitGpus)} GPUs`}</dd></div>
      <div><dt>Waiting</dt><dd data-waiting-count>${count(waiting.waitingCount)} job${waiting.waitingCount === 1 ? "" : "s"}</dd></div>
    </dl>
    <meter min="0" max=${Math.max(tier.guaranteedGpus, tier.allocatedGpus, 1)} value=${tier.allocatedGpus} aria-label="GPUs in use against the guarantee">
      ${count(guaranteeUsed)} of ${count(tier.guaranteedGpus)} guaranteed GPUs in use
    </meter>
    ${
      waiting.waiting.length === 0
        ? html`<p class="muted">${waiting.waitingCount === 0 ? "Nothing waits." : "Other tenants' jobs wait; yours do not."}</p>`
        : html`<table>
            <caption>Waiting, in the order the scheduler considers them${waiting.waitingCount > WAITING_SHOWN ? ` (first ${Math.min(WAITING_SHOWN, waiting.waiting.length)} shown)` : ""}</caption>
            <thead><tr><th scope="col">Job</th><th scope="col">Tenant</th><th scope="col" class="num">GPUs</th><th scope="col">Why it waits</th><th scope="col">Estimated start</th></tr></thead>
            <tbody>
              ${waiting.waiting.slice(0, WAITING_SHOWN).map(
                (e) => html`<tr data-job=${e.jobId}>
                  <th scope="row"><code>${e.jobId}</code></th>
                  <td>${e.tenant}</td>
                  <td class="num">${count(e.gpus)}</td>
                  <td>${e.sentence.replace(/^waiting: /, "").replace(/; estimated start .*$/, "")}</td>
                  <td>${minute(e.estimatedStart)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

const ACTIVE = new Set(["queued", "running"]);

/**
 * The queued and running jobs the key may see: read once, then kept current by the job
 * events (which carry the whole job), so a job submitted now shows whatever the backlog before it.
 */
function useActiveJobs() {
  const [jobs, setJobs] = useState(new Map());
  const [error, setError] = useState(null);
  const upsert = (job, { ifNew = false } = {}) =>
    setJobs((previous) => {
      // A submission's answer can come after the events of the job's start: it must not undo them.
      if (ifNew && previous.has(job.id)) return previous;
      const next = new Map(previous);
      if (ACTIVE.has(job.state)) next.set(job.id, job);
      else next.delete(job.id);
      return next;
    });
  // The waiting jobs are read apart from the running ones: the API lists oldest first, and a job queued
  // behind a hundred older running ones would otherwise be missing, with its cancel button, after a reload.
  const load = () =>
    Promise.all([
      api(`/v1/jobs?state=queued&limit=${QUEUED_READ}`),
      api(`/v1/jobs?state=running&limit=${JOBS_SHOWN}`),
    ])
      .then(([queued, running]) =>
        setJobs((previous) => {
          const next = new Map([...queued.items, ...running.items].map((j) => [j.id, j]));
          // Jobs learnt from events that are past the first page stay.
          for (const [id, job] of previous) if (!next.has(id) && ACTIVE.has(job.state)) next.set(id, job);
          return next;
        }),
      )
      .catch(setError);
  useEffect(() => {
    load();
  }, []);
  useEvents((type, data) => {
    if (type === "job") upsert(data.job);
    if (type === "reset") load();
  });
  const waitingFirst = [...jobs.values()].sort(
    (a, b) =>
      Number(a.state === "running") - Number(b.state === "running") ||
      b.submittedAt.localeCompare(a.submittedAt),
  );
  return { jobs: waitingFirst.slice(0, JOBS_SHOWN), total: jobs.size, error, upsert };
}

function Jobs({ me, reasons }) {
  const { jobs, total, error, upsert } = useActiveJobs();
  const [cancelError, setCancelError] = useState(null);
  const cancel = async (id) => {
    setCancelError(null);
    try {
      upsert(await api(`/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }));
    } catch (err) {
      setCancelError(`${id} was not cancelled: ${err.message}`);
    }
  };
  return html`<section class="card" aria-labelledby="jobs-title">
    <h2 id="jobs-title">${me.role === "operator" ? "Queued and running jobs" : `Jobs of ${me.tenant}`}</h2>
    ${me.role !== "operator" && html`<${SubmitJob} onSubmitted=${(job) => upsert(job, { ifNew: true })} />`}
    ${error && html`<p role="alert" class="field-error">${error.message}</p>`}
    ${cancelError && html`<p role="alert" class="field-error">${cancelError}</p>`}
    ${
      jobs.length === 0
        ? html`<p class="muted">No queued or running jobs.</p>`
        : html`<table class="jobs">
            <caption>Queued, then running, newest first${total > jobs.length ? ` (${jobs.length} of ${count(total)} shown)` : ""}</caption>
            <thead><tr><th scope="col">Job</th><th scope="col">Name</th><th scope="col">Tenant</th><th scope="col" class="num">GPUs</th><th scope="col">State</th><th scope="col">Where, or why it waits</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              ${jobs.map(
                (job) => html`<tr data-job=${job.id} data-state=${job.state}>
                  <th scope="row"><code>${job.id}</code></th>
                  <td>${job.name}</td>
                  <td>${job.tenant}</td>
                  <td class="num">${count(job.gpus ?? job.nodes * job.gpusPerNode)}</td>
                  <td><span class="state state-${job.state}">${job.state}</span></td>
                  <td data-where>${
                    job.state === "running"
                      ? `${job.allocation.siteId}, ${job.allocation.nodes.length} node${job.allocation.nodes.length === 1 ? "" : "s"}, since ${minute(job.startedAt)}`
                      : (reasons.get(job.id) ?? "waiting (reason not read yet)")
                  }</td>
                  <td><button type="button" class="quiet" onClick=${() => cancel(job.id)} aria-label="Cancel ${job.id}">Cancel</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

export function QueuesPage({ me }) {
  // What waits and why changes with each scheduling pass, which ends with a queue event: read again then
  // (a job event comes before the pass that places the job), at most once a second.
  const { data, error } = useLiveData(loadQueues, { matters: (type) => type === "queue", minGapMs: 1000 });
  if (data === null)
    return html`<h1>Queues</h1>${error ? html`<p role="alert" class="field-error">${error.message}</p>` : html`<p>Loading…</p>`}`;
  const waitingOf = new Map(data.queue.tiers.map((t) => [t.tier, t]));
  const reasons = new Map(data.queue.tiers.flatMap((t) => t.waiting.map((e) => [e.jobId, e.sentence])));
  return html`<h1>Queues</h1>
    <p class="muted" data-as-of=${data.queue.at}>As of the scheduling pass at ${minute(data.queue.at)}; tiers in priority order.</p>
    <div class="tiers">
      ${data.tiers.tiers.map((t) => html`<${TierCard} key=${t.tier} tier=${t} waiting=${waitingOf.get(t.tier)} />`)}
    </div>
    <${Jobs} me=${me} reasons=${reasons} />`;
}
