// `__proto__` as a key in an input document. JSON.parse and the YAML reader keep it as an ordinary key, but
// zod's records and every object built by assignment silently drop it (assigning to `__proto__` sets the
// prototype instead): a label, a latency region or a utilisation kind of that name would vanish without a
// word, or an object built from the data would inherit what the document put there. The edge refuses it.
import type { PathSegment } from "./input-error.ts";

export const PROTO_KEY = "__proto__";
export const PROTO_KEY_RULE =
  "is not allowed as a key: `__proto__` names an object's prototype in JavaScript";

/** The path of every own `__proto__` key in plain data (objects and lists), in document order. */
export function protoKeyPaths(data: unknown, path: readonly PathSegment[] = []): PathSegment[][] {
  if (Array.isArray(data)) return data.flatMap((item, i) => protoKeyPaths(item, [...path, i]));
  if (data === null || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([key, value]) =>
    key === PROTO_KEY ? [[...path, key]] : protoKeyPaths(value, [...path, key]),
  );
}
