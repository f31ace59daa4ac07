// The schedule as `fjord simulate` writes it into results.json: each run of the file may carry a `schedule`
// (the fields of Schedule, see schedule.ts). This reads one run's schedule from the parsed file and reports
// every problem at its path, e.g. `runs[0].schedule.jobs[3].runs[0].gpus: must be a positive integer`.
import { z } from "zod";
import { InputError, issueAt } from "../model/input-error.ts";
import { idSchema, nonEmptyString, positiveInt, validate, whenValid } from "../model/input-schemas.ts";
import { PROTO_KEY_RULE, protoKeyPaths } from "../model/proto-keys.ts";
import type { Schedule } from "./schedule.ts";

const epochMs = z.number().int("must be whole epoch milliseconds").nonnegative("must be 0 or more");

const runSchema = z
  .object({ siteId: idSchema, startAtMs: epochMs, endAtMs: epochMs, gpus: positiveInt })
  .superRefine((run, ctx) => {
    if (run.endAtMs < run.startAtMs)
      ctx.addIssue({ code: "custom", path: ["endAtMs"], message: "must not be before startAtMs" });
  }, whenValid);

const jobSchema = z.object({
  jobId: nonEmptyString,
  tenantId: idSchema,
  tierId: nonEmptyString,
  labels: z.record(z.string(), z.string()).default({}),
  runs: z.array(runSchema),
});

const scheduleSchema = z.object({ fromMs: epochMs, toMs: epochMs, jobs: z.array(jobSchema) });

// Only what accounting needs is checked; the rest of results.json (metrics, counts) is the simulator's.
const resultsSchema = z.looseObject({
  runs: z
    .array(z.looseObject({ label: z.string(), schedule: z.unknown().optional() }))
    .min(1, "must hold at least one simulated run"),
});

/** The schedule of the run labelled `label` (default: the first run) in a parsed results.json. */
export function scheduleFromResults(
  doc: unknown,
  source: string,
  label?: string,
): { label: string; index: number; schedule: Schedule } {
  const results = validate(resultsSchema, doc, source);
  const index = label === undefined ? 0 : results.runs.findIndex((r) => r.label === label);
  if (index < 0) {
    const known = results.runs.map((r) => r.label).join(", ");
    throw new InputError(source, [issueAt(["runs"], `has no run labelled '${label}' (runs: ${known})`)]);
  }
  const run = results.runs[index]!;
  if (run.schedule === undefined) {
    throw new InputError(source, [
      issueAt(
        ["runs", index, "schedule"],
        "is missing: the file holds metrics only; write it with a `fjord simulate` that records the schedule",
      ),
    ]);
  }
  const prefix = ["runs", index, "schedule"];
  // Validation would drop a `__proto__` label without a word (proto-keys.ts): refused, as in every input.
  const protoKeys = protoKeyPaths(run.schedule, prefix);
  if (protoKeys.length > 0)
    throw new InputError(
      source,
      protoKeys.map((path) => issueAt(path, PROTO_KEY_RULE)),
    );
  try {
    return { label: run.label, index, schedule: validate(scheduleSchema, run.schedule, source) };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // Validated on its own, the schedule's paths start inside it; put them back where they are in the file.
    throw new InputError(
      source,
      err.issues.map((i) => issueAt([...prefix, ...i.segments], i.message)),
    );
  }
}
