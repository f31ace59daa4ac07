// Fjord's CSV jobs format: one job per row, one column per field of the YAML job format plus `runtime`.
// CSV is flat, so (docs/workloads.md):
//   - an empty cell means the field is not given (its default applies);
//   - lists (gpuModel, residency) are separated by `|`, as in the Alibaba trace's gpu_spec;
//   - maxLatency is two columns, `maxLatency.region` and `maxLatency.ms`;
//   - each label is a column `labels.<key>`.
// Each row becomes the same plain object a JSON line would be, so both formats share one validation.
import type { SimJob } from "../simulator/types.ts";
import { indexColumns } from "./csv-columns.ts";
import { readCsvTable } from "./csv-table.ts";
import { FJORD_JOB_FIELDS, readJobRecord } from "./fjord-job-record.ts";
import type { FjordJobsFile, FjordJobsOptions } from "./fjord-jobs-jsonl.ts";
import { IssueList } from "./issue-list.ts";

const LABEL_PREFIX = "labels.";
const NESTED = ["maxLatency", "labels"];
/** What a job runs on a cluster (a list and a mapping) has no form in a CSV cell: YAML and JSON lines carry it. */
const NOT_IN_CSV = ["command", "workDir", "env", "stdoutPath", "stderrPath"];
/** Plain columns: every field except the nested ones, which have their own dotted columns. */
const PLAIN_COLUMNS = FJORD_JOB_FIELDS.filter((f) => !NESTED.includes(f) && !NOT_IN_CSV.includes(f));
const COLUMNS = new Set([...PLAIN_COLUMNS, "maxLatency.region", "maxLatency.ms"]);
const KNOWN_TEXT = [...COLUMNS, "labels.<key>"].join(", ");
const NUMERIC = new Set(["nodes", "gpusPerNode", "gpus", "priority", "maxLatency.ms"]);
const LISTS = new Set(["gpuModel", "residency"]);
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Throws InputError naming the line and column of every problem (up to a cap). Jobs stay in file order;
 * `lines[i]` is the line job i starts on, so later refusals (e.g. by the API) can point at it.
 */
export function parseFjordJobsCsv(text: string, options: FjordJobsOptions): FjordJobsFile {
  const table = readCsvTable(text, options.source);
  const issues = new IssueList();
  const index = indexColumns(
    table.header,
    table.headerLine,
    {
      isKnown: (name) =>
        COLUMNS.has(name) || (name.startsWith(LABEL_PREFIX) && name.length > LABEL_PREFIX.length),
      knownText: KNOWN_TEXT,
      required: ["tenant", "estimatedRuntime"],
    },
    issues,
  );
  issues.throwIfAny(options.source);

  const columns = [...index];
  const context = { source: options.source, defaults: options.defaults, issues, firstLineOfId: new Map() };
  const jobs: SimJob[] = [];
  const lines: number[] = [];
  table.rows.forEach(({ line, fields }, rowIndex) => {
    if (issues.full) return;
    const job = readJobRecord(rowRecord(columns, fields), rowIndex, line, context);
    if (job !== null) {
      jobs.push(job);
      lines.push(line);
    }
  });
  issues.throwIfAny(options.source);
  return { jobs, lines };
}

/** A row as the plain object a JSON line would give: typed cells, nested maxLatency and labels. */
function rowRecord(columns: readonly [string, number][], fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  let latency: Record<string, unknown> | undefined;
  // Label keys are the file's text: collected as entries so that a `labels.__proto__` column becomes an own
  // key, which the record check then refuses, rather than an assignment that silently drops it.
  const labels: [string, string][] = [];
  for (const [name, i] of columns) {
    const text = (fields[i] ?? "").trim();
    if (text === "") continue;
    if (name.startsWith(LABEL_PREFIX)) {
      labels.push([name.slice(LABEL_PREFIX.length), text]);
    } else if (name.startsWith("maxLatency.")) {
      latency ??= {};
      latency[name.slice("maxLatency.".length)] = cellValue(name, text);
    } else {
      record[name] = cellValue(name, text);
    }
  }
  if (latency) record.maxLatency = latency;
  if (labels.length > 0) record.labels = Object.fromEntries(labels);
  return record;
}

// Numbers stay text when they do not look like one, so validation can say what it found ("not \"four\"").
function cellValue(name: string, text: string): unknown {
  if (NUMERIC.has(name)) return DECIMAL.test(text) ? Number(text) : text;
  if (LISTS.has(name)) {
    const items = text.split("|").map((s) => s.trim());
    return name === "gpuModel" && items.length === 1 ? items[0] : items;
  }
  return text;
}
