// `__proto__` as a key in an input document. JSON.parse and the YAML reader keep it as an ordinary key, but
// zod's records and every object built by assignment silently drop it (assigning to `__proto__` sets the
// prototype instead): a label, a latency region or a utilisation kind of that name would vanish without a
// word, or an object built from the data would inherit what the document put there. The edge refuses it.
import type { PathSegment } from "./input-error.ts";

export const PROTO_KEY = "__proto__";
export const PROTO_KEY_RULE =
  "is not allowed as a key: `__proto__` names an object's prototype in JavaScript";

/** A path as a chain back to the root, so walking a deep document copies no paths. */
interface PathLink {
  segment: PathSegment;
  parent: PathLink | null;
}

/**
 * The path of every own `__proto__` key in plain data (objects and lists), in document order. Walked
 * with a stack of its own rather than by recursion: a request body nested thousands of levels deep must
 * get an answer, not overflow the call stack.
 */
export function protoKeyPaths(data: unknown, path: readonly PathSegment[] = []): PathSegment[][] {
  const found: PathSegment[][] = [];
  const toPath = (link: PathLink | null) => {
    const segments: PathSegment[] = [];
    for (let l = link; l !== null; l = l.parent) segments.push(l.segment);
    return [...path, ...segments.reverse()];
  };
  // Children are pushed in reverse so they are visited, and found, in document order.
  const stack: { value: unknown; at: PathLink | null; proto: boolean }[] = [
    { value: data, at: null, proto: false },
  ];
  while (stack.length > 0) {
    const { value, at, proto } = stack.pop()!;
    if (proto) found.push(toPath(at));
    if (proto || value === null || typeof value !== "object") continue;
    const entries: [PathSegment, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, child] = entries[k]!;
      stack.push({ value: child, at: { segment: key, parent: at }, proto: key === PROTO_KEY });
    }
  }
  return found;
}
