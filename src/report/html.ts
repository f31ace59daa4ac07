// Safe ways to put text, data, scripts and styles into one HTML file. The report is opened from disk and
// must render the same with no network, so everything is inlined — and inlined text must not end its
// element early.

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block. `<` is written as \u003c (valid JSON, same value)
 * so no string in the data — a tenant called "</script>" — can close the element or open a comment;
 * U+2028/2029 are escaped for old parsers that treat them as line ends.
 */
export function jsonScriptContent(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Library or page JavaScript for an inline `<script>`: `</script` would end the element, so it is split. */
export function inlineScript(js: string): string {
  return `<script>${inlineScriptText(js)}</script>`;
}

/** The text inlineScript puts inside the element (what a Content-Security-Policy hash is taken of). */
export function inlineScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

/** CSS for an inline `<style>`; `\/` is a CSS escape for `/`, so the rule text keeps its meaning. */
export function inlineStyle(css: string): string {
  return `<style>${inlineStyleText(css)}</style>`;
}

/** The text inlineStyle puts inside the element. */
export function inlineStyleText(css: string): string {
  return css.replace(/<\/(style)/gi, "<\\/$1");
}
