// The one error type the input edge throws: every problem found in a document, each with the field path
// it concerns and the rule it breaks, so a user can fix a whole file in one pass.
import type { z } from "zod";

export type PathSegment = string | number;

export interface InputIssue {
  /** Dotted path with indices, e.g. `sites[0].halls[1].rackGroups[0].count`; "" for the whole document. */
  path: string;
  /** The same path as segments, for tools that look the field up again (e.g. to find its YAML line). */
  segments: readonly PathSegment[];
  message: string;
  /** 1-based line in the source text, when the input came from text and the field could be located. */
  line?: number;
}

/** Most issues spelled out in the message; the rest stay in `issues`. A broken generator can emit thousands. */
const MAX_LISTED = 50;

export class InputError extends Error {
  override readonly name = "InputError";
  readonly source: string;
  readonly issues: InputIssue[];

  constructor(source: string, issues: InputIssue[]) {
    super(formatIssues(source, issues));
    this.source = source;
    this.issues = issues;
  }
}

/** One issue, path given as segments. */
export function issueAt(segments: readonly PathSegment[], message: string): InputIssue {
  return { path: formatPath(segments), segments, message };
}

/** `["sites", 0, "halls", 1, "id"]` → `sites[0].halls[1].id`; keys that are not plain words are quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function formatIssues(source: string, issues: readonly InputIssue[]): string {
  const lines = issues.slice(0, MAX_LISTED).map((issue) => {
    const where = issue.path === "" ? "" : `${issue.path}: `;
    const line = issue.line === undefined ? "" : ` (line ${issue.line})`;
    return `${source}: ${where}${issue.message}${line}`;
  });
  if (issues.length > MAX_LISTED) lines.push(`${source}: … and ${issues.length - MAX_LISTED} more problems`);
  return lines.join("\n");
}

/** Turns zod's issues into InputIssues; an unknown-keys issue becomes one issue per key, at that key's path. */
export function fromZodError(err: z.ZodError, source: string): InputError {
  const issues: InputIssue[] = [];
  for (const zodIssue of err.issues) {
    const base = zodIssue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    if (zodIssue.code === "unrecognized_keys") {
      for (const key of zodIssue.keys) issues.push(issueAt([...base, key], zodIssue.message));
    } else if (zodIssue.code === "invalid_key") {
      // zod says only "Invalid key in record"; the key's own schema says what a key must be.
      for (const inner of zodIssue.issues) issues.push(issueAt(base, inner.message));
    } else {
      issues.push(issueAt(base, zodIssue.message));
    }
  }
  return new InputError(source, issues);
}
