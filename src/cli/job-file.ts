// The job files `fjord submit` reads: every jobs format Fjord documents (docs/workloads.md) — the YAML job
// format, Fjord's CSV and JSON lines — picked by the file's extension, read by the same parsers as
// `fjord explain` and `fjord simulate`. Each job keeps where it was written, so a refusal by the service
// points at the field and line to change.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { InputError, type InputIssue, issueAt, type PathSegment } from "../model/input-error.ts";
import type { Job } from "../model/types.ts";
import { readYaml, withLines } from "../model/yaml-source.ts";
import { parseJobsYaml } from "../queue/parse-jobs.ts";
import { parseFjordJobsCsv } from "../workloads/fjord-jobs-csv.ts";
import {
  type FjordJobsFile,
  type FjordJobsOptions,
  parseFjordJobsJsonl,
} from "../workloads/fjord-jobs-jsonl.ts";
import { isAlibabaTaskListText } from "./alibaba-task-list.ts";

export const JOB_FILE_FORMATS_TEXT =
  ".yaml or .yml (the YAML job format), .csv (Fjord's jobs CSV), .jsonl or .ndjson (JSON lines)";

export interface JobFile {
  jobs: Job[];
  /**
   * An issue about job `index` at `segments`, a path inside one job as the file writes it (`limit`,
   * `maxLatency.ms`); it carries the job's line where the format knows it.
   */
  issueAt(index: number, segments: readonly PathSegment[], message: string): InputIssue;
  /** The file's error for these issues, with YAML lines filled in. */
  error(issues: InputIssue[]): InputError;
}

type FlatParser = (text: string, options: FjordJobsOptions) => FjordJobsFile;

const FLAT_PARSERS = new Map<string, FlatParser>([
  [".csv", parseFjordJobsCsv],
  [".jsonl", parseFjordJobsJsonl],
  [".ndjson", parseFjordJobsJsonl],
]);

/**
 * Reads and validates a job file; throws InputError naming every problem, or the formats it takes when
 * the file is none of them. `nowMs` stands in for submission times (the service assigns its own).
 */
export function readJobFile(path: string, nowMs: number): JobFile {
  const ext = extname(path).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return yamlJobFile(path, readFileSync(path, "utf8"), nowMs);
  const parse = FLAT_PARSERS.get(ext);
  if (parse === undefined)
    throw new InputError(path, [
      issueAt([], `is not a job file fjord submit reads: name it ${JOB_FILE_FORMATS_TEXT}`),
    ]);
  const text = readFileSync(path, "utf8");
  if (ext === ".csv" && isAlibabaTaskListText(text))
    throw new InputError(path, [
      issueAt(
        [],
        "is an Alibaba trace task list, which has no tenants to submit for; replay it with fjord simulate " +
          `--workload, or submit a Fjord job file: ${JOB_FILE_FORMATS_TEXT}`,
      ),
    ]);
  const { jobs, lines } = parse(text, { source: path, defaults: { nowMs } });
  return {
    jobs: jobs.map((j) => j.job),
    issueAt: (index, segments, message) => ({ ...issueAt(segments, message), line: lines[index]! }),
    error: (issues) => new InputError(path, issues),
  };
}

function yamlJobFile(path: string, text: string, nowMs: number): JobFile {
  const jobs = parseJobsYaml(text, path, { nowMs });
  const yaml = readYaml(text, path);
  // A bare list is read as { jobs: [...] }; its YAML paths lack the leading "jobs" (as in parse-jobs.ts).
  const lineOf = Array.isArray(yaml.data)
    ? (segments: readonly PathSegment[]) => yaml.lineOf(segments.slice(1))
    : yaml.lineOf;
  return {
    jobs,
    issueAt: (index, segments, message) => issueAt(["jobs", index, ...segments], message),
    error: (issues) => withLines(new InputError(path, issues), lineOf),
  };
}
