// Reads a facility file from disk. The only I/O in src/facility; everything else is pure.
import { readFileSync } from "node:fs";
import { validate } from "../model/input-schemas.ts";
import type { Facility } from "../model/types.ts";
import { fromYamlText } from "../model/yaml-source.ts";
import { parseFacilityYaml } from "./parse-facility.ts";
import { type SiteExecutorConfig, siteExecutorsDocument } from "./site-executor-schema.ts";

/** Throws InputError for invalid content (messages start with the path) and Node's error when unreadable. */
export function loadFacilityFile(path: string): Facility {
  return parseFacilityYaml(readFileSync(path, "utf8"), path);
}

/** Each site's executor (`executor:`, default simulated) from a facility file loadFacilityFile accepts. */
export function loadSiteExecutors(path: string): Map<string, SiteExecutorConfig> {
  const read = (data: unknown) => validate(siteExecutorsDocument, data, path);
  const doc = fromYamlText(readFileSync(path, "utf8"), path, read);
  return new Map(doc.sites.map((s) => [s.id, s.executor]));
}
