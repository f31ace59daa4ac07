// A report as a file to keep: the API's answer as JSON, the document `fjord report` writes
// (eed-report.json, footprint-<tenant>.json), saved from the browser with no second request.
import { useEffect, useMemo } from "preact/hooks";
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

export function DownloadLinks({ kind, year, report }) {
  const url = useMemo(
    () =>
      URL.createObjectURL(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: "application/json" })),
    [report],
  );
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const name = kind === "eed" ? `eed-report-${year}.json` : `footprint-${report.tenantId}-${year}.json`;
  return html`<p class="downloads">
    <a href=${url} download=${name} data-download=${kind}>Download ${name}</a>
    <span class="muted"> (as <code>fjord report ${kind}</code> writes it)</span>
  </p>`;
}
