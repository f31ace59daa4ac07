// Reads Alibaba GPU trace files from disk. The only I/O for the trace: parsing stays pure and testable.
import { readFileSync } from "node:fs";
import type { Facility } from "../model/types.ts";
import { type AlibabaNodesOptions, parseAlibabaNodes } from "./alibaba-nodes.ts";
import { type AlibabaPodsOptions, type AlibabaPodsResult, parseAlibabaPods } from "./alibaba-pods.ts";

/** Throws InputError for invalid content and Node's error when the file cannot be read. */
export function loadAlibabaPods(
  path: string,
  options: Omit<AlibabaPodsOptions, "source">,
): AlibabaPodsResult {
  return parseAlibabaPods(readFileSync(path, "utf8"), { ...options, source: path });
}

export function loadAlibabaNodes(path: string, options: Omit<AlibabaNodesOptions, "source">): Facility {
  return parseAlibabaNodes(readFileSync(path, "utf8"), { ...options, source: path });
}
