// `fjord simulate --check <results.json>`: re-verifies a finished simulation from its results.json alone.
// The file names the facility, policy and workload it was simulated from (its `inputs`); options given on
// the command line take their place. Every run's jobs are checked by the pure checkRun; every violation is
// an issue of the results file at its path, so the command exits 2 and lists them all.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError, issueAt } from "../model/input-error.ts";
import { idSchema, nonEmptyString, validate } from "../model/input-schemas.ts";
import { checkRun } from "../simulator/check-run.ts";
import { FIFO_BASELINE_NAME } from "../simulator/fifo-baseline.ts";
import { parseSeed } from "./seed-option.ts";
import { loadSimulationFiles } from "./simulation-inputs.ts";

/** Options of `fjord simulate` that replace what the results file names. */
export interface CheckOverrides {
  facility?: string | undefined;
  policy?: string | undefined;
  workload?: string | undefined;
}

const epochMs = z.number().int("must be whole epoch milliseconds").nonnegative("must be 0 or more");

/** Files written before the compact run record list each node's GPUs under `nodes` instead. */
function olderRecord(issue: { input: unknown }): string | undefined {
  return issue.input === undefined
    ? "is missing: the file records where runs ran in an older form; write it again with this `fjord simulate`"
    : undefined;
}

const runSchema = z.object({
  startAtMs: epochMs,
  endAtMs: epochMs,
  siteId: idSchema,
  gpuModel: nonEmptyString,
  wholeNodes: z.array(z.object({ first: nonEmptyString, count: z.number().int() }), { error: olderRecord }),
  partNodes: z.array(
    z.object({
      nodeId: nonEmptyString,
      gpus: z.array(z.number().int()),
      gpuMilli: z.number().int().min(1).max(999).optional(),
    }),
    {
      error: olderRecord,
    },
  ),
  end: z.enum(["completed", "preempted", "failed", "limit", "unfinished"]),
});

const jobSchema = z.object({
  jobId: nonEmptyString,
  tenantId: idSchema,
  submittedAtMs: epochMs,
  runs: z.array(runSchema),
});

const resultsSchema = z.looseObject({
  inputs: z
    .object({
      facility: nonEmptyString,
      policy: nonEmptyString,
      workload: nonEmptyString,
      seed: z.number().int(),
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .optional(),
  runs: z
    .array(
      z.looseObject({
        label: z.string(),
        jobs: z.array(jobSchema, {
          error: (issue) =>
            issue.input === undefined
              ? "is missing: the file does not record where jobs ran; write it with a `fjord simulate` that does"
              : undefined,
        }),
      }),
    )
    .min(1, "must hold at least one simulated run"),
});

/** Checks every run of the file; returns the summary to print, or throws an InputError listing every violation. */
export function checkResultsFile(resultsPath: string, overrides: CheckOverrides): string {
  const doc = validate(resultsSchema, JSON.parse(readFileSync(resultsPath, "utf8")), resultsPath);
  const named = doc.inputs;
  const pick = (key: keyof CheckOverrides): string => {
    const value = overrides[key] ?? named?.[key];
    if (value === undefined)
      throw new InputError(resultsPath, [
        issueAt(["inputs", key], `is missing: give --${key} to say which file the run was simulated with`),
      ]);
    return value;
  };
  const files = loadSimulationFiles({
    facility: pick("facility"),
    policy: pick("policy"),
    workload: pick("workload"),
    seed: parseSeed(String(named?.seed ?? 1)),
    from: named?.from,
    to: named?.to,
  });
  const workload = files.workload.map((s) => s.job);
  const issues = doc.runs.flatMap((run, r) =>
    checkRun(run.jobs, files.facility, workload, { ownSitesServe: run.label !== FIFO_BASELINE_NAME }).map(
      (v) => issueAt(["runs", r, ...v.path], v.message),
    ),
  );
  if (issues.length > 0) throw new InputError(resultsPath, issues);
  const jobs = doc.runs.reduce((sum, run) => sum + run.jobs.length, 0);
  const runs = doc.runs.reduce((sum, run) => sum + run.jobs.reduce((n, j) => n + j.runs.length, 0), 0);
  return `${resultsPath}: ${doc.runs.map((r) => r.label).join(", ")}: ${jobs} jobs, ${runs} runs checked; no violations\n`;
}
