// Reads a running-jobs file from disk, the I/O edge of parse-running.ts (as load-jobs-file.ts is of parse-jobs.ts).
import { readFileSync } from "node:fs";
import type { RunningJob } from "../model/types.ts";
import { parseRunningYaml } from "./parse-running.ts";

/** Throws InputError for invalid content (messages start with the path) and Node's error when unreadable. */
export function loadRunningFile(path: string): RunningJob[] {
  return parseRunningYaml(readFileSync(path, "utf8"), path);
}
