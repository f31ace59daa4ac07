// Reads a jobs file from disk. With load-running-file.ts, the only I/O in src/queue.
import { readFileSync } from "node:fs";
import type { Job } from "../model/types.ts";
import { type JobDefaults, parseJobsYaml } from "./parse-jobs.ts";

/** Throws InputError for invalid content (messages start with the path) and Node's error when unreadable. */
export function loadJobsFile(path: string, defaults: JobDefaults): Job[] {
  return parseJobsYaml(readFileSync(path, "utf8"), path, defaults);
}
