// JSON whose text depends only on the data: object keys sorted at every level, two-space indent. Scripts
// diff `--json` output between runs and versions; key order from how an object was built would be noise.

/** Serialises plain data (no cycles, no Maps) with sorted keys; ends with a newline like other CLI output. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
