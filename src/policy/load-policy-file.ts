// Reads a policy file from disk. The only I/O in src/policy.
import { readFileSync } from "node:fs";
import type { Policy } from "../model/types.ts";
import { parsePolicyYaml } from "./parse-policy.ts";

/** Throws InputError for invalid content (messages start with the path) and Node's error when unreadable. */
export function loadPolicyFile(path: string): Policy {
  return parsePolicyYaml(readFileSync(path, "utf8"), path);
}
