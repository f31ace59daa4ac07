// Fjord's JSON-lines jobs format: one job per line, a JSON object with the fields of the YAML job format
// plus `runtime` (docs/workloads.md, schemas/fjord-jobs.schema.json). Blank lines are ignored. Built for
// large generated workloads: a line is read, checked and converted on its own.
import type { JobDefaults } from "../queue/parse-jobs.ts";
import type { SimJob } from "../simulator/types.ts";
import { readJobRecord } from "./fjord-job-record.ts";
import { IssueList } from "./issue-list.ts";

export interface FjordJobsOptions {
  /** File name for error messages. */
  source: string;
  /** Submission time for jobs that give no `submittedAt`. */
  defaults: JobDefaults;
}

/** The jobs of a CSV or JSON-lines file in file order, and the line each job starts on. */
export interface FjordJobsFile {
  jobs: SimJob[];
  lines: number[];
}

/**
 * Throws InputError naming the line and field of every problem (up to a cap). Jobs stay in file order;
 * `lines[i]` is job i's line, so later refusals (e.g. by the API) can point at it.
 */
export function parseFjordJobsJsonl(text: string, options: FjordJobsOptions): FjordJobsFile {
  const issues = new IssueList();
  const context = { source: options.source, defaults: options.defaults, issues, firstLineOfId: new Map() };
  const jobs: SimJob[] = [];
  const jobLines: number[] = [];
  const lines = text.split("\n");
  let index = 0;
  for (let i = 0; i < lines.length && !issues.full; i++) {
    const content = lines[i]!.trim();
    if (content === "") continue;
    const line = i + 1;
    const record = parseObject(content, line, issues);
    if (record !== undefined) {
      const job = readJobRecord(record, index, line, context);
      if (job !== null) {
        jobs.push(job);
        jobLines.push(line);
      }
    }
    index++;
  }
  issues.throwIfAny(options.source);
  return { jobs, lines: jobLines };
}

function parseObject(text: string, line: number, issues: IssueList): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    issues.add([], `is not valid JSON: ${(err as Error).message}`, line);
    return undefined;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  const found = Array.isArray(value) ? "a list" : value === null ? "null" : typeof value;
  issues.add([], `must be a JSON object with one job's fields, not ${found}`, line);
  return undefined;
}
