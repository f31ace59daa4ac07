// Reads the Alibaba GPU trace v2025 from disk. The only I/O for the trace: parsing stays pure and testable.
import { readFileSync } from "node:fs";
import { type Alibaba2025Options, type Alibaba2025Result, parseAlibaba2025 } from "./alibaba-2025-jobs.ts";

/** Throws InputError for invalid content and Node's error when the file cannot be read. */
export function loadAlibaba2025(
  path: string,
  options: Omit<Alibaba2025Options, "source">,
): Alibaba2025Result {
  return parseAlibaba2025(readFileSync(path, "utf8"), { ...options, source: path });
}
