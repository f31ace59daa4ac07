// The fields that say what a job runs on a real cluster, shared by the job file (src/queue/job-schema.ts)
// and the API (src/api/schemas/job-submission.ts): the command as a list (program first; no shell ever
// reads it), its working directory, its environment and where its output goes. Bounded so one job cannot
// fill the database or the cluster's controller: Linux gives a process 2 MiB of argv and environment
// together, Slurm keeps a job's environment in slurmctld's memory.
import { z } from "zod";
import { storable } from "./input-schemas.ts";
import type { JobCommand } from "./types.ts";

export const MAX_COMMAND_ARGS = 1024;
export const MAX_ENV_VARS = 256;
/** argv and environment together, in UTF-8 bytes (the API takes bodies of 64 KiB). */
export const MAX_COMMAND_BYTES = 32 * 1024;
const MAX_ARG_CHARS = 16_384;
const MAX_PATH_CHARS = 1024;
const MAX_ENV_NAME_CHARS = 255;

/** POSIX's portable variable names. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Fjord tells the job who it is in FJORD_*, Slurm in SLURM_*: a job's own value would be overwritten. */
const RESERVED_ENV = /^(FJORD_|SLURM_)/;

/** An argument or a variable's value: any text a process can receive (no NUL) that the database can keep. */
const argText = z.string().max(MAX_ARG_CHARS, `must be at most ${MAX_ARG_CHARS} characters`).check(storable);

const absolutePath = z
  .string()
  .max(MAX_PATH_CHARS, `must be at most ${MAX_PATH_CHARS} characters`)
  .check(storable)
  .regex(/^\/[^\p{Cc}]*$/u, "must be an absolute path (starting with /) without control characters");

const envName = z
  .string()
  .max(MAX_ENV_NAME_CHARS, `must be at most ${MAX_ENV_NAME_CHARS} characters`)
  .regex(ENV_NAME, "must be a variable name: letters, digits and '_', not starting with a digit")
  .refine(
    (name) => !RESERVED_ENV.test(name),
    "must not start with FJORD_ or SLURM_: those are set for the job",
  );

/** The command fields of a job, as the job file and the API write them (all optional, null = not given). */
export const jobCommandShape = {
  command: z
    .array(argText)
    .min(1, "must name the program to run")
    .max(MAX_COMMAND_ARGS, `must have at most ${MAX_COMMAND_ARGS} arguments`)
    .refine(
      (argv) => argv.length === 0 || argv[0]!.trim() !== "",
      "must start with the program to run, not an empty text",
    )
    .nullish()
    .describe(
      'Program and arguments, run as given with no shell, e.g. ["python", "train.py", "--lr", "3e-4"]. ' +
        "Needed to run at a site whose cluster has no default command.",
    ),
  workDir: absolutePath.nullish().describe("Absolute working directory on the nodes; default: the site's."),
  env: z
    .record(envName, argText)
    .refine((env) => Object.keys(env).length <= MAX_ENV_VARS, `must have at most ${MAX_ENV_VARS} variables`)
    .nullish()
    .describe(
      'Environment variables of the job, e.g. {"HF_HOME": "/data/hf"}; FJORD_* and SLURM_* are set for it.',
    ),
  stdoutPath: absolutePath
    .nullish()
    .describe(
      "Absolute path of the job's stdout on the first node (Slurm's %j patterns apply); default: the site's.",
    ),
  stderrPath: absolutePath.nullish().describe("Absolute path of the job's stderr; default: with stdout."),
};

type CommandFields = {
  command?: string[] | null | undefined;
  workDir?: string | null | undefined;
  env?: Record<string, string> | null | undefined;
  stdoutPath?: string | null | undefined;
  stderrPath?: string | null | undefined;
};

const NEEDS_COMMAND = ["workDir", "env", "stdoutPath", "stderrPath"] as const;

/** The rules across the command fields: the others need a command, and all together stay small. */
export function checkCommand(fields: CommandFields, ctx: z.RefinementCtx): void {
  if (fields.command == null) {
    for (const key of NEEDS_COMMAND)
      if (fields[key] != null)
        ctx.addIssue({ code: "custom", path: [key], message: "needs command: it says how the command runs" });
    return;
  }
  const bytes = [...fields.command, ...Object.entries(fields.env ?? {}).flat()].reduce(
    (sum, text) => sum + Buffer.byteLength(text, "utf8") + 1,
    0,
  );
  if (bytes > MAX_COMMAND_BYTES)
    ctx.addIssue({
      code: "custom",
      path: ["command"],
      message: `with env must be at most ${MAX_COMMAND_BYTES} bytes together (UTF-8), not ${bytes}`,
    });
}

/** The validated fields as the model's command; null when the job gives none. */
export function jobCommandOf(fields: CommandFields): JobCommand | null {
  if (fields.command == null) return null;
  // Object.entries reads own properties only; sorted, so equal environments are equal lists.
  const env = Object.entries(fields.env ?? {})
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    argv: fields.command,
    workDir: fields.workDir ?? null,
    env,
    stdoutPath: fields.stdoutPath ?? null,
    stderrPath: fields.stderrPath ?? null,
  };
}

/** The model's command back in the fields' form (for the API's view and the CLI's requests). */
export function commandFields(command: JobCommand | null | undefined): {
  command: string[] | null;
  workDir: string | null;
  env: Record<string, string> | null;
  stdoutPath: string | null;
  stderrPath: string | null;
} {
  if (command == null) return { command: null, workDir: null, env: null, stdoutPath: null, stderrPath: null };
  return {
    command: command.argv,
    workDir: command.workDir,
    // fromEntries defines own properties, so even a variable named like a prototype member stays a variable.
    env: Object.fromEntries(command.env.map((v) => [v.name, v.value])),
    stdoutPath: command.stdoutPath,
    stderrPath: command.stderrPath,
  };
}
