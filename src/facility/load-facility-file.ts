// Reads a facility file from disk. The only I/O in src/facility; everything else is pure.
import { readFileSync } from "node:fs";
import type { Facility } from "../model/types.ts";
import { parseFacilityYaml } from "./parse-facility.ts";

/** Throws InputError for invalid content (messages start with the path) and Node's error when unreadable. */
export function loadFacilityFile(path: string): Facility {
  return parseFacilityYaml(readFileSync(path, "utf8"), path);
}
