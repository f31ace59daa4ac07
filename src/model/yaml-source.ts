// YAML text → plain data, keeping the document so that validation errors can be pointed at their line.
import { isNode, LineCounter, parseDocument } from "yaml";
import { InputError, type InputIssue, issueAt, type PathSegment } from "./input-error.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "./proto-keys.ts";

/** Maps a path in the parsed data to its 1-based line, or undefined when it cannot be located. */
export type LineLookup = (segments: readonly PathSegment[]) => number | undefined;

export interface YamlSource {
  data: unknown;
  lineOf: LineLookup;
}

/**
 * Parses one YAML document; syntax errors, duplicate keys and `__proto__` keys (proto-keys.ts) throw
 * InputError with their lines.
 */
export function readYaml(text: string, source: string): YamlSource {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: timestamps stay strings (the schemas parse them), `no` stays a string, not false.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map(
      (err): InputIssue => ({
        ...issueAt([], `invalid YAML: ${err.message}`),
        line: lineCounter.linePos(err.pos[0]).line,
      }),
    );
    throw new InputError(source, issues);
  }
  const lineOf: LineLookup = (segments) => {
    // A missing field has no node; point at the nearest enclosing one instead (the mapping that lacks it).
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = doc.getIn(segments.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const protoKeys = protoKeyPaths(data);
  if (protoKeys.length > 0)
    throw new InputError(
      source,
      protoKeys.map((segments) => {
        const issue = issueAt(segments, PROTO_KEY_RULE);
        const line = lineOf(segments);
        return line === undefined ? issue : { ...issue, line };
      }),
    );
  return { data, lineOf };
}

/** Copies the error with each issue's line filled in from the YAML it came from. */
export function withLines(err: InputError, lineOf: LineLookup): InputError {
  return new InputError(
    err.source,
    err.issues.map((issue) => {
      const line = issue.line ?? lineOf(issue.segments);
      return line === undefined ? issue : { ...issue, line };
    }),
  );
}

/** Parses YAML text and builds from it, attaching YAML line numbers to any InputError the builder throws. */
export function fromYamlText<T>(
  text: string,
  source: string,
  build: (data: unknown) => T,
  lineOf: (yaml: YamlSource) => LineLookup = (yaml) => yaml.lineOf,
): T {
  const yaml = readYaml(text, source);
  try {
    return build(yaml.data);
  } catch (err) {
    if (err instanceof InputError) throw withLines(err, lineOf(yaml));
    throw err;
  }
}
