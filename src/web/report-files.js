// A report as files to keep: the JSON the page already has (the document `fjord report` writes), and the
// CSV and HTML files the API renders from it, fetched with the user's key when asked for and saved from
// the browser.
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, apiFile } from "./api.js";
import { html } from "./html.js";

/** A figure's value as the page shows it: numbers to four significant digits, null as "not reported". */
export function figureValue(value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number")
    return Number.isInteger(value)
      ? value.toLocaleString("en-GB")
      : Number(value.toPrecision(4)).toLocaleString("en-GB", { maximumFractionDigits: 6 });
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Saves `blob` as a download named `name`. */
export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  // The download has its own copy once it has begun.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `path` the report's API path without `format`; `base` the file name without its extension. */
export function DownloadLinks({ path, base, formats, report }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const jsonUrl = useMemo(
    () =>
      URL.createObjectURL(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: "application/json" })),
    [report],
  );
  useEffect(() => () => URL.revokeObjectURL(jsonUrl), [jsonUrl]);
  const fetchFile = async (format) => {
    setBusy(format);
    setError(null);
    try {
      save(await apiFile(`${path}&format=${format}`), `${base}.${format}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Fjord did not answer (${err.message})`);
    } finally {
      setBusy(null);
    }
  };
  return html`<div class="downloads">
    <a href=${jsonUrl} download="${base}.json" data-download="json">Download ${base}.json</a>
    ${formats.map(
      (format) =>
        html`<button type="button" class="quiet" data-download=${format} disabled=${busy !== null} onClick=${() => fetchFile(format)}>
          ${busy === format ? "Preparing…" : `Download ${format.toUpperCase()}`}
        </button>`,
    )}
    <span class="muted">as <code>fjord report</code> writes them</span>
    ${error && html`<p role="alert" class="field-error">${error}</p>`}
  </div>`;
}
