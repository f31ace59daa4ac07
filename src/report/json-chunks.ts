// results.json's text form — keys sorted, derived numbers rounded, two spaces of indentation — written piece
// by piece: the same text as JSON.stringify(canonical(value), null, 2), but never whole in one string, nor
// the whole document copied first. A long simulation's results.json is larger than a JavaScript string may
// be (about 512 MB), and building it whole cost its size several times over in memory.
//
// The outer levels (down to STREAM_DEPTH) are written here, one element at a time; each value below is
// copied to canonical form and given to JSON.stringify, without a replacer so that it takes its fast path,
// then indented to its place. JSON.stringify's own rules (what is left out, escaping) are kept.
import { roundSignificant } from "./round.ts";

const GAP = "  ";

/** Levels written piece by piece: enough to reach results.json's per-job lists, few enough to stay quick. */
const STREAM_DEPTH = 5;

/**
 * Sorted keys, arrays in their order. Numbers that are not integers are derived (ratios, means, hours)
 * and are rounded; integers (counts, epoch ms, seeds) are kept exact. Non-finite numbers — which
 * computeMetrics never produces — become null rather than invalid JSON.
 */
export function canonical(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? roundSignificant(value) : null;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    const source = value as Record<string, unknown>;
    return Object.fromEntries(keys.map((k) => [k, canonical(source[k])]));
  }
  return value;
}

/** JSON.stringify(canonical(value), null, 2) in pieces; throws where that gives no text (e.g. undefined). */
export function* canonicalJsonChunks(value: unknown): Generator<string> {
  if (omitted(value)) throw new TypeError("canonicalJsonChunks: the value has no JSON form");
  yield* chunksOf(value, "", 0);
}

function* chunksOf(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= STREAM_DEPTH || value === null || typeof value !== "object") {
    const text = JSON.stringify(canonical(value), null, GAP);
    yield indent === "" ? text : text.replaceAll("\n", `\n${indent}`);
    return;
  }
  const inner = indent + GAP;
  if (Array.isArray(value)) {
    if (value.length === 0) yield "[]";
    else {
      for (let i = 0; i < value.length; i++) {
        yield `${i === 0 ? "[" : ","}\n${inner}`;
        if (omitted(value[i])) yield "null";
        else yield* chunksOf(value[i], inner, depth + 1);
      }
      yield `\n${indent}]`;
    }
    return;
  }
  const source = value as Record<string, unknown>;
  // The keys in the order canonical's copy has them: sorted, but, as in any object, integer keys first.
  const ordered = Object.keys(
    Object.fromEntries(
      Object.keys(source)
        .sort()
        .map((k) => [k, true]),
    ),
  );
  let written = 0;
  for (const key of ordered) {
    if (omitted(source[key])) continue;
    yield `${written === 0 ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
    yield* chunksOf(source[key], inner, depth + 1);
    written++;
  }
  yield written === 0 ? "{}" : `\n${indent}}`;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
