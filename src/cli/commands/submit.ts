// `fjord submit`: jobs from a Fjord job file (YAML, Fjord's CSV or JSON lines; see job-file.ts), or one job
// given as flags, sent to POST /v1/jobs. Each submission carries an Idempotency-Key derived from the job, so running
// the same command again returns the jobs it created instead of creating them twice.
import type { Command } from "commander";
import { jobWireSchema } from "../../api/schemas/job.ts";
import { InputError, type InputIssue, issueAt } from "../../model/input-error.ts";
import { ApiProblemError } from "../client/api-errors.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { fileSegments, flagIssue, parseFieldPath } from "../client/field-paths.ts";
import { derivedIdempotencyKey, givenIdempotencyKey } from "../client/idempotency-key.ts";
import { FLAGS_SOURCE, JOB_FLAGS, type JobFlags, submissionFromFlags } from "../client/job-flags.ts";
import { type SubmissionBody, submissionFromJob } from "../client/submission-body.ts";
import { EXIT_BAD_INPUT } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { JOB_FILE_FORMATS_TEXT, readJobFile } from "../job-file.ts";
import { type SubmittedJob, submittedTable } from "../render/job-tables.ts";
import { stableJson } from "../render/stable-json.ts";

export interface SubmitOptions extends ApiOptions, JobFlags {
  idempotencyKey?: string;
}

export function registerSubmit(program: Command, io: CliIo): Command {
  const command = program
    .command("submit")
    .description("submit the jobs of a Fjord job file, or one job given as flags")
    .argument("[file]", `job file: ${JOB_FILE_FORMATS_TEXT}`)
    .option("--tenant <id>", "tenant of the job (operator keys must give it; tenant keys may leave it out)")
    .option("--gpus <n>", "GPUs, packed onto as few nodes as possible")
    .option("--nodes <n>", "an all-or-nothing gang of this many nodes (with --gpus-per-node)")
    .option("--gpus-per-node <n>", "GPUs on each node of the gang")
    .option("--runtime <duration>", "estimated runtime, e.g. 2h or 1h30m")
    .option("--limit <duration>", "hard runtime limit (default 1.5 × the runtime)")
    .option("--gpu-model <models>", "allowed GPU models, comma-separated (default any)")
    .option(
      "--residency <tags>",
      "jurisdictions it may run in, comma-separated, e.g. EEA,NO (default anywhere)",
    )
    .option("--max-latency <region:ms>", "most round-trip latency to a user region, e.g. nordics:20")
    .option("--checkpoint-interval <duration>", "time between checkpoints (default: never checkpoints)")
    .option("--priority <n>", "among the tenant's own jobs; higher goes first (default 0)")
    .option("--name <name>", "name of the job (default its id)")
    .option("--not-before <time>", "earliest start, ISO 8601 with Z or an offset")
    .option("--deadline <time>", "latest finish, ISO 8601 with Z or an offset")
    .option("--topology <kind>", "auto, nvlink-domain, network-block or site (default auto)")
    .option("--label <key=value>", "a label; repeat for more", collect)
    .option(
      "--command <argv>",
      'what the job runs: words split on spaces (no shell), or a JSON list like \'["sh", "-c", "echo a b"]\'',
    )
    .option("--workdir <path>", "absolute working directory on the nodes (default: the site's)")
    .option("--env <name=value>", "an environment variable of the job; repeat for more", collect)
    .option("--stdout <path>", "absolute path of the job's stdout on the nodes (default: the site's)")
    .option("--stderr <path>", "absolute path of the job's stderr (default: with stdout)")
    .option(
      "--idempotency-key <key>",
      "use this key instead of one derived from the job (for a file, <key>/<job id> per job)",
    );
  return withApiOptions(command)
    .option("--json", "print the submitted jobs as the API returned them")
    .action(async (file: string | undefined, _options: unknown, cmd: Command) => {
      await runSubmit(file, cmd.opts<SubmitOptions>(), io);
    });
}

/** One job to send: its id in the file (null for flags) and its wire body. */
interface Entry {
  entry: string | null;
  body: SubmissionBody;
}

/**
 * Submits every job. A job the service refuses as invalid does not stop the others: the refusals are then
 * reported together as an InputError on the file (or the flags), after the jobs that were submitted.
 */
export async function runSubmit(file: string | undefined, options: SubmitOptions, io: CliIo): Promise<void> {
  const read = file === undefined ? fromFlags(options) : fromFile(file, options);
  const sends = read.entries.map((e) => ({
    ...e,
    key:
      options.idempotencyKey === undefined
        ? derivedIdempotencyKey(e.body, e.entry)
        : givenIdempotencyKey(options.idempotencyKey, e.entry),
  }));
  const client = apiClient(options);

  const submitted: (SubmittedJob & { json: unknown })[] = [];
  const refusals: InputIssue[] = [];
  const print = () => {
    if (!options.json) {
      if (submitted.length > 0) io.out(submittedTable(submitted));
    } else if (file !== undefined) {
      io.out(stableJson(submitted.map((s) => s.json)));
    } else if (submitted[0] !== undefined) {
      // One job given as flags prints as the API returned it; a file's jobs print as a list in file order.
      io.out(stableJson(submitted[0].json));
    }
  };
  try {
    for (const [index, send] of sends.entries()) {
      try {
        const answer = await client.post("jobs", jobWireSchema, send.body, { "idempotency-key": send.key });
        submitted.push({
          entry: send.entry,
          job: answer.data,
          created: answer.status === 201,
          json: answer.json,
        });
      } catch (err) {
        // Refusals of this one job (invalid, never fits, key reused); anything else fails every job alike.
        if (!(err instanceof ApiProblemError) || err.exitCode !== EXIT_BAD_INPUT) throw err;
        refusals.push(...read.refusal(index, err));
      }
    }
  } finally {
    // What was submitted before a failure is printed too: those jobs exist now.
    print();
  }
  if (refusals.length > 0) throw read.refused(refusals);
}

interface ReadJobs {
  entries: Entry[];
  /** The issues of a refusal of entry `index`, at the file field or flag that set the refused field. */
  refusal(index: number, err: ApiProblemError): InputIssue[];
  refused(issues: InputIssue[]): InputError;
}

function fromFile(file: string, flags: JobFlags): ReadJobs {
  const given = JOB_FLAGS.filter((f) => flags[f] !== undefined);
  if (given.length > 0)
    throw new InputError(
      FLAGS_SOURCE,
      given.map((f) =>
        issueAt([flagName(f)], `is for a job given as flags; with a job file, set it in ${file}`),
      ),
    );
  // The server assigns submission times, so the file's submittedAt values and this default are not sent.
  const jobFile = readJobFile(file, Date.now());
  return {
    entries: jobFile.jobs.map((job) => ({ entry: job.id, body: submissionFromJob(job) })),
    refusal: (index, err) =>
      problemIssues(err, (field, reason) =>
        jobFile.issueAt(index, fileSegments(field), `refused: ${reason}`),
      ),
    refused: (issues) => jobFile.error(issues),
  };
}

function fromFlags(flags: JobFlags): ReadJobs {
  if (JOB_FLAGS.every((f) => flags[f] === undefined))
    throw new InputError(FLAGS_SOURCE, [
      issueAt(
        [],
        "give a job file, or one job as flags: --gpus <n> (or --nodes with --gpus-per-node) and --runtime",
      ),
    ]);
  return {
    entries: [{ entry: null, body: submissionFromFlags(flags) }],
    refusal: (_index, err) =>
      problemIssues(err, (field, reason) => flagIssue(parseFieldPath(field), `refused: ${reason}`)),
    refused: (issues) => new InputError(FLAGS_SOURCE, issues),
  };
}

/** One issue per field the problem names; a problem about the request as a whole gives its detail. */
function problemIssues(
  err: ApiProblemError,
  at: (field: string, reason: string) => InputIssue,
): InputIssue[] {
  const { problem } = err;
  const fields = problem.errors ?? [];
  if (fields.length === 0) return [at("", `${problem.title}: ${problem.detail}`)];
  return fields.map(({ field, reason }) => at(field, reason));
}

/** `gpusPerNode` → `--gpus-per-node`. */
function flagName(option: keyof JobFlags): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
