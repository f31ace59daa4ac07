// One job of a Fjord CSV or JSON-lines jobs file → SimJob. The fields are the YAML job format's
// (src/queue/job-schema.ts, validated by the same zod schema and converted by the same toJob) plus
// `runtime`: the seconds of work the job really needs, which a queue does not know but a replay does.
import { InputError } from "../model/input-error.ts";
import { positiveDurationS, validate } from "../model/input-schemas.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "../model/proto-keys.ts";
import { defaultJobId, jobSchema } from "../queue/job-schema.ts";
import { type JobDefaults, toJob } from "../queue/parse-jobs.ts";
import type { SimJob } from "../simulator/types.ts";
import type { IssueList } from "./issue-list.ts";

/** The fields of one job, in the order the docs and the CSV example list them. */
export const FJORD_JOB_FIELDS: readonly string[] = [...Object.keys(jobSchema.shape), "runtime"];
const KNOWN = new Set(FJORD_JOB_FIELDS);

export interface RecordContext {
  source: string;
  defaults: JobDefaults;
  issues: IssueList;
  /** Job id → line it was first given on, for duplicate reports across the file. */
  firstLineOfId: Map<string, number>;
}

/**
 * Validates one job given as plain data (`index`: 0-based position among the file's jobs, which names jobs
 * without an id). Problems go to `context.issues` at `line`; returns null when there are any.
 */
export function readJobRecord(
  record: Readonly<Record<string, unknown>>,
  index: number,
  line: number,
  context: RecordContext,
): SimJob | null {
  const { issues } = context;
  const before = issues.issues.length;
  const jobFields: Record<string, unknown> = {};
  // Validation would drop a `__proto__` label without a word, or read it as an unknown key: it is refused
  // here, alone, as readYaml refuses it in YAML files.
  const protoKeys = protoKeyPaths(record).filter((path) => path.length > 1);
  for (const path of protoKeys) issues.add(path, PROTO_KEY_RULE, line);
  for (const [key, value] of Object.entries(record)) {
    if (KNOWN.has(key)) {
      if (key !== "runtime") jobFields[key] = value;
    } else {
      issues.add([key], `is not a known field (known: ${FJORD_JOB_FIELDS.join(", ")})`, line);
    }
  }
  // Duplicates are checked on the id as written, so a repeat is reported even when either row is invalid.
  const id = record.id === undefined ? defaultJobId(index) : typeof record.id === "string" ? record.id : null;
  if (id !== null) {
    const first = context.firstLineOfId.get(id);
    if (first === undefined) context.firstLineOfId.set(id, line);
    else issues.add(["id"], `duplicate job id '${id}' (first on line ${first})`, line);
  }
  if (protoKeys.length > 0) return null;
  const doc = collect(context, line, [], () => validate(jobSchema, jobFields, context.source));
  const runtimeS =
    record.runtime === undefined
      ? undefined
      : collect(context, line, ["runtime"], () =>
          validate(positiveDurationS, record.runtime, context.source),
        );
  if (doc === undefined || issues.issues.length > before) return null;
  const job = toJob(doc, index, context.defaults);
  return { job, runtimeS: runtimeS ?? job.estimatedRuntimeS };
}

/** Runs a validation that throws InputError; its issues are added at `line`, under `prefix`. */
function collect<T>(
  context: RecordContext,
  line: number,
  prefix: readonly string[],
  run: () => T,
): T | undefined {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    for (const issue of err.issues) context.issues.add([...prefix, ...issue.segments], issue.message, line);
    return undefined;
  }
}
