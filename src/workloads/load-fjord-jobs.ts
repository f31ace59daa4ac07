// Reads a Fjord jobs file from disk, choosing the format by its extension. The only I/O for these formats.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { InputError, issueAt } from "../model/input-error.ts";
import type { JobDefaults } from "../queue/parse-jobs.ts";
import type { SimJob } from "../simulator/types.ts";
import { parseFjordJobsCsv } from "./fjord-jobs-csv.ts";
import { parseFjordJobsJsonl } from "./fjord-jobs-jsonl.ts";

/** `.csv` → CSV; `.jsonl` or `.ndjson` → JSON lines. Throws InputError for other names or invalid content. */
export function loadFjordJobsFile(path: string, defaults: JobDefaults): { jobs: SimJob[] } {
  const ext = extname(path).toLowerCase();
  const parse =
    ext === ".csv" ? parseFjordJobsCsv : ext === ".jsonl" || ext === ".ndjson" ? parseFjordJobsJsonl : null;
  if (parse === null) {
    throw new InputError(path, [
      issueAt([], "is not a jobs file Fjord reads: name it .csv, .jsonl or .ndjson"),
    ]);
  }
  return parse(readFileSync(path, "utf8"), { source: path, defaults });
}
