// Submitting a job as the signed-in tenant. The API checks it; each field it refuses has the reason shown
// next to that field (problem+json `errors[].field`), anything else above the button.
import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "./api.js";
import { html } from "./html.js";

const FIELDS = [
  { name: "name", label: "Name", type: "text", help: "Optional; the job's id when left empty." },
  { name: "gpus", label: "GPUs", type: "number", required: true, help: "How many GPUs the job needs." },
  { name: "gpuModel", label: "GPU model", type: "select", help: "Any model the facility has, or one." },
  {
    name: "estimatedRuntimeS",
    label: "Runtime (minutes)",
    type: "number",
    required: true,
    help: "How long the job runs, on the control plane's clock.",
  },
  {
    name: "residency",
    label: "Residency",
    type: "text",
    help: "Jurisdictions, comma-separated, e.g. EEA, NO.",
  },
  {
    name: "notBefore",
    label: "Not before",
    type: "text",
    help: "Optional earliest start, ISO 8601, e.g. 2026-12-24T06:00:00Z.",
  },
];

/** The submission's body from the form, leaving out what the user left empty. */
function submission(form) {
  const value = (name) => String(form.get(name) ?? "").trim();
  const body = {};
  if (value("name")) body.name = value("name");
  if (value("gpus")) body.gpus = Number(value("gpus"));
  if (value("gpuModel")) body.gpuModel = value("gpuModel");
  if (value("estimatedRuntimeS"))
    body.estimatedRuntimeS = Math.round(Number(value("estimatedRuntimeS")) * 60);
  if (value("residency"))
    body.residency = value("residency")
      .split(/[\s,]+/)
      .filter(Boolean);
  if (value("notBefore")) body.notBefore = value("notBefore");
  return body;
}

/** Field errors by input name: `residency[1]` belongs to residency. */
function byInput(errors) {
  const known = new Set(FIELDS.map((f) => f.name));
  const fields = {};
  const rest = [];
  for (const [field, reason] of Object.entries(errors)) {
    const input = field.split(/[.[]/)[0];
    if (known.has(input)) fields[input] = fields[input] ? `${fields[input]}; ${reason}` : reason;
    else rest.push(`${field}: ${reason}`);
  }
  return { fields, rest };
}

export function SubmitJob({ onSubmitted }) {
  const [models, setModels] = useState([]);
  const [errors, setErrors] = useState({ fields: {}, rest: [] });
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api("/v1/facility")
      .then((f) => setModels([...new Set(f.nodeTypes.map((t) => t.gpuModel))]))
      .catch(() => {});
  }, []);

  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setMessage(null);
    try {
      const job = await api("/v1/jobs", { method: "POST", body: submission(new FormData(form)) });
      setErrors({ fields: {}, rest: [] });
      setMessage(`Submitted ${job.id}.`);
      form.reset();
      onSubmitted(job);
    } catch (err) {
      if (err instanceof ApiError) {
        const found = byInput(err.fieldErrors());
        if (Object.keys(found.fields).length === 0 && found.rest.length === 0) found.rest.push(err.message);
        setErrors(found);
        const first = Object.keys(found.fields)[0];
        if (first) form.elements.namedItem(first)?.focus();
      } else setErrors({ fields: {}, rest: [`Fjord did not answer (${err.message})`] });
    } finally {
      setBusy(false);
    }
  };

  const control = (f) => {
    const error = errors.fields[f.name];
    const described = `job-${f.name}-help${error ? ` job-${f.name}-error` : ""}`;
    const common = {
      id: `job-${f.name}`,
      name: f.name,
      "aria-describedby": described,
      "aria-invalid": error ? "true" : "false",
    };
    const input =
      f.type === "select"
        ? html`<select ...${common}><option value="">any</option>${models.map((m) => html`<option value=${m}>${m}</option>`)}</select>`
        : html`<input ...${common} type=${f.type} required=${f.required} step=${f.type === "number" ? "any" : undefined} />`;
    return html`<div class="field">
      <label for="job-${f.name}">${f.label}${f.required ? html` <span aria-hidden="true">*</span>` : ""}</label>
      ${input}
      <p id="job-${f.name}-help" class="help">${f.help}</p>
      ${error && html`<p id="job-${f.name}-error" class="field-error" data-field-error=${f.name}>${error}</p>`}
    </div>`;
  };

  return html`<form class="submit-job" onSubmit=${submit} novalidate aria-labelledby="submit-title">
    <h3 id="submit-title">Submit a job</h3>
    <div class="fields">${FIELDS.map(control)}</div>
    ${errors.rest.length > 0 && html`<div role="alert" class="field-error">${errors.rest.map((r) => html`<p>${r}</p>`)}</div>`}
    ${message && html`<p role="status">${message}</p>`}
    <button type="submit" disabled=${busy}>${busy ? "Submitting…" : "Submit"}</button>
  </form>`;
}
