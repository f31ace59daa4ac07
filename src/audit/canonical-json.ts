// The one text an audit entry's content hashes as: JSON with object keys sorted by UTF-16 code unit and no
// whitespace. JavaScript's own key order puts integer-like keys first, and PostgreSQL's jsonb reorders keys
// again, so neither can be hashed as is; sorting makes the text depend on the value alone, and lets anyone
// recompute a hash with any JSON library that sorts keys.
//
// Values follow JSON.stringify's rules (toJSON is called, undefined properties are left out, undefined in
// arrays and non-finite numbers become null), because that is what the stored jsonb holds.

export function canonicalJson(value: unknown): string {
  const text = serialise(value);
  if (text === undefined) throw new TypeError("canonicalJson: the value has no JSON form (it is undefined)");
  return text;
}

function serialise(raw: unknown): string | undefined {
  const value = hasToJson(raw) ? raw.toJSON() : raw;
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError(`canonicalJson: a bigint (${value}) has no JSON form`);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((item) => serialise(item) ?? "null").join(",")}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = serialise(record[key]);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      // undefined, functions and symbols: JSON has no such value.
      return undefined;
  }
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  );
}
