// The API names a refused field by its wire path (`estimatedRuntimeS`, `maxLatency.ms`, `residency[1]`);
// the user wrote it in a job file or as a flag. These map a wire path back to what the user wrote, so a
// refusal points at the line or flag to change.
import { formatPath, type InputIssue, issueAt, type PathSegment } from "../../model/input-error.ts";

/** `maxLatency.ms`, `residency[1]`, `labels["a b"]` → segments; the inverse of formatPath. */
export function parseFieldPath(field: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const token = /\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < field.length) {
    const at = token.lastIndex;
    const match = token.exec(field);
    if (match === null) return [...segments, field.slice(at)];
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

/**
 * Wire fields whose name differs in a job file, where durations are written like 36h. A Map: the field a
 * refusal names can echo a user's key (`constructor`), which a plain object would find on its prototype.
 */
const FILE_FIELDS = new Map([
  ["estimatedRuntimeS", "estimatedRuntime"],
  ["limitS", "limit"],
  ["checkpointIntervalS", "checkpointInterval"],
]);

/** The path inside one job of a job file for a wire field path (`estimatedRuntimeS` → `estimatedRuntime`). */
export function fileSegments(field: string): PathSegment[] {
  const [head, ...rest] = parseFieldPath(field);
  if (head === undefined) return [];
  const name = typeof head === "string" ? (FILE_FIELDS.get(head) ?? head) : head;
  return [name, ...rest];
}

/** Each wire field of submitting one job as flags, by the flag that sets it (a Map, as FILE_FIELDS). */
export const FLAG_OF_FIELD: ReadonlyMap<string, string> = new Map([
  ["tenant", "--tenant"],
  ["name", "--name"],
  ["nodes", "--nodes"],
  ["gpusPerNode", "--gpus-per-node"],
  ["gpus", "--gpus"],
  ["gpuModel", "--gpu-model"],
  ["estimatedRuntimeS", "--runtime"],
  ["limitS", "--limit"],
  ["priority", "--priority"],
  ["residency", "--residency"],
  ["maxLatency", "--max-latency"],
  ["checkpointIntervalS", "--checkpoint-interval"],
  ["notBefore", "--not-before"],
  ["deadline", "--deadline"],
  ["topology", "--topology"],
  ["labels", "--label"],
  ["command", "--command"],
  ["workDir", "--workdir"],
  ["env", "--env"],
  ["stdoutPath", "--stdout"],
  ["stderrPath", "--stderr"],
]);

/**
 * An issue about a wire field as one about the flag that set it (`flagOf`, by default a job's flags):
 * `residency[1]` → `--residency`, with the position kept in the message, since one flag sets every entry
 * of a list.
 */
export function flagIssue(
  segments: readonly PathSegment[],
  message: string,
  flagOf: ReadonlyMap<string, string> = FLAG_OF_FIELD,
): InputIssue {
  const [head, ...rest] = segments;
  const flag = typeof head === "string" ? flagOf.get(head) : undefined;
  if (flag === undefined)
    return issueAt([], segments.length === 0 ? message : `${formatPath(segments)}: ${message}`);
  return issueAt([flag], rest.length === 0 ? message : `${formatPath(segments)}: ${message}`);
}
