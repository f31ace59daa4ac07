// Writes schemas/fjord-jobs.schema.json: `npx tsx src/workloads/write-fjord-jobs-schema.ts`.
// Run it after changing the job format; fjord-jobs-json-schema.test.ts fails until the file is current.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { fjordJobJsonSchema } from "./fjord-jobs-json-schema.ts";

export const FJORD_JOBS_SCHEMA_PATH = "schemas/fjord-jobs.schema.json";

// Writes only when run as a script, not when a test imports the path constant.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(FJORD_JOBS_SCHEMA_PATH, `${JSON.stringify(fjordJobJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${FJORD_JOBS_SCHEMA_PATH}`);
}
