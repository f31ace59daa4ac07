// A job submission on the wire: the fields of Fjord's job file (src/queue/job-schema.ts) with durations in
// whole seconds (`…S`) and times as ISO 8601. The server assigns the id and the submission time; the rest
// follows the file's rules and defaults, and the same field names appear in every error.
import { z } from "zod";
import {
  idSchema,
  jurisdictionTag,
  labelKey,
  nonNegativeNumber,
  positiveInt,
  strict,
  timestampMs,
  whenValid,
} from "../../model/input-schemas.ts";
import { checkCommand, jobCommandOf, jobCommandShape } from "../../model/job-command-schema.ts";
import type { Job, JobShape } from "../../model/types.ts";
import { checkSize } from "../../queue/job-schema.ts";
import { storableText, text, withExample } from "./common.ts";

/** How much longer than its estimate a job may run by default before it is stopped (as in job files). */
const DEFAULT_LIMIT_FACTOR = 1.5;

/** Longest duration a job may give: a year. Longer ones are typos (ms for s) or attempts to hold GPUs for good. */
export const MAX_DURATION_S = 365 * 86_400;
/** Largest latency bound: light goes round the Earth in under 200 ms, so 10 s is already no bound at all. */
export const MAX_LATENCY_MS = 10_000;
/** How far ahead notBefore and deadline may lie. */
export const MAX_YEARS_AHEAD = 10;
/** How long ago a deadline may have passed: clocks and retries, nothing more. */
export const DEADLINE_GRACE_MS = 86_400_000;
/** The earliest time the API takes at all: earlier ones are zeros or epoch mistakes. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const MAX_PRIORITY = 1_000_000;

const durationS = positiveInt
  .max(MAX_DURATION_S, `must be at most ${MAX_DURATION_S} (a year)`)
  .describe(`Whole seconds, more than 0 and at most ${MAX_DURATION_S} (a year).`);

const wireTimestampMs = timestampMs.refine((ms) => ms >= EARLIEST_MS, "must be in the year 2000 or later");

export const jobSubmissionSchema = withExample(
  strict({
    tenant: idSchema
      .optional()
      .describe("Tenant id. Operators must give it; tenant keys may leave it out or must give their own."),
    name: text(200).optional().describe("Defaults to the job id."),
    nodes: positiveInt.optional().describe("With gpusPerNode: an all-or-nothing gang of this many nodes."),
    gpusPerNode: positiveInt.optional(),
    gpus: positiveInt.optional().describe("A GPU count, packed onto as few nodes as possible."),
    gpuModel: z
      .union([text(100), z.array(text(100)).min(1).max(32)])
      .nullish()
      .describe("A GPU model like GB300, or a list of allowed models; omitted or null = any."),
    estimatedRuntimeS: durationS,
    limitS: durationS
      .optional()
      .describe("Hard wall-clock limit, at least estimatedRuntimeS; default 1.5 × it."),
    priority: z
      .number()
      .int()
      .min(-MAX_PRIORITY)
      .max(MAX_PRIORITY)
      .default(0)
      .describe(`Among the tenant's own jobs; higher goes first (±${MAX_PRIORITY}).`),
    residency: z
      .array(jurisdictionTag)
      .min(1, "must list at least one jurisdiction; leave residency out to allow any site")
      .max(32)
      .nullish()
      .describe('Jurisdictions the job may run in, e.g. ["EEA"]; omitted or null = anywhere.'),
    maxLatency: strict({
      region: text(100),
      ms: nonNegativeNumber.max(MAX_LATENCY_MS, `must be at most ${MAX_LATENCY_MS}`),
    })
      .nullish()
      .describe("Most round-trip latency to a user region."),
    checkpointIntervalS: durationS
      .nullish()
      .describe("Seconds between checkpoints; null = never checkpoints."),
    notBefore: wireTimestampMs
      .nullish()
      .describe(`Earliest start, ISO 8601 with Z or an offset; at most ${MAX_YEARS_AHEAD} years ahead.`),
    deadline: wireTimestampMs
      .nullish()
      .describe(
        `Latest finish the owner accepts, ISO 8601; not past, at most ${MAX_YEARS_AHEAD} years ahead.`,
      ),
    topology: z.enum(["auto", "nvlink-domain", "network-block", "site"]).default("auto"),
    labels: z
      .record(labelKey, storableText(1000))
      .refine((labels) => Object.keys(labels).length <= 64, "must have at most 64 labels")
      .default({}),
    ...jobCommandShape,
  }).superRefine((job, ctx) => {
    checkSize(job, ctx);
    checkCommand(job, ctx);
    if (job.limitS !== undefined && job.limitS < job.estimatedRuntimeS) {
      ctx.addIssue({
        code: "custom",
        path: ["limitS"],
        message:
          `must be at least estimatedRuntimeS (${job.limitS} < ${job.estimatedRuntimeS}): ` +
          "the job would always be stopped before it is expected to finish",
      });
    }
    if (job.notBefore != null && job.deadline != null && job.deadline < job.notBefore) {
      ctx.addIssue({
        code: "custom",
        path: ["deadline"],
        message: `must not be before notBefore (${new Date(job.notBefore).toISOString()})`,
      });
    }
  }, whenValid),
  {
    name: "finetune-nb",
    gpus: 16,
    gpuModel: "GB300",
    estimatedRuntimeS: 1800,
    residency: ["EEA"],
    checkpointIntervalS: 600,
    labels: { team: "nlp" },
    command: ["python", "train.py", "--epochs", "3"],
    workDir: "/scratch/aurora/finetune",
    env: { HF_HOME: "/scratch/aurora/hf" },
  },
);

export type JobSubmission = z.output<typeof jobSubmissionSchema>;

/**
 * The rules on times that depend on the service's clock (which may run faster than the wall clock): no
 * start window or deadline more than ten years ahead, no deadline that has already passed.
 */
export function submissionTimeProblem(
  submission: JobSubmission,
  nowMs: number,
): { field: string; reason: string } | null {
  const latestMs = new Date(nowMs).setUTCFullYear(new Date(nowMs).getUTCFullYear() + MAX_YEARS_AHEAD);
  const tooFar = `must be at most ${MAX_YEARS_AHEAD} years from now (${new Date(latestMs).toISOString()})`;
  if (submission.notBefore != null && submission.notBefore > latestMs)
    return { field: "notBefore", reason: tooFar };
  if (submission.deadline != null) {
    if (submission.deadline > latestMs) return { field: "deadline", reason: tooFar };
    if (submission.deadline < nowMs - DEADLINE_GRACE_MS)
      return {
        field: "deadline",
        reason: `has already passed (now is ${new Date(nowMs).toISOString()}); leave it out for no deadline`,
      };
  }
  return null;
}

/** The submission as the scheduler's Job, under the id and time the server assigned. */
export function jobFromSubmission(
  submission: JobSubmission,
  ids: { id: string; tenantId: string; submittedAtMs: number },
): Job {
  const { gpuModel } = submission;
  const command = jobCommandOf(submission);
  return {
    id: ids.id,
    tenantId: ids.tenantId,
    name: submission.name ?? ids.id,
    shape: shapeOf(submission),
    gpuModels: gpuModel == null ? null : typeof gpuModel === "string" ? [gpuModel] : gpuModel,
    estimatedRuntimeS: submission.estimatedRuntimeS,
    limitS: submission.limitS ?? Math.ceil(submission.estimatedRuntimeS * DEFAULT_LIMIT_FACTOR),
    priority: submission.priority,
    residency: submission.residency ?? null,
    maxLatency: submission.maxLatency ?? null,
    checkpointIntervalS: submission.checkpointIntervalS ?? null,
    notBeforeAtMs: submission.notBefore ?? null,
    deadlineAtMs: submission.deadline ?? null,
    topology: submission.topology,
    labels: submission.labels,
    submittedAtMs: ids.submittedAtMs,
    ...(command === null ? {} : { command }),
  };
}

// The schema guarantees exactly one complete form, so the last branch is a bug, not an input error.
function shapeOf(submission: JobSubmission): JobShape {
  if (submission.nodes !== undefined && submission.gpusPerNode !== undefined)
    return { kind: "gang", nodes: submission.nodes, gpusPerNode: submission.gpusPerNode };
  if (submission.gpus !== undefined) return { kind: "gpus", gpus: submission.gpus };
  throw new Error("a job submission passed validation without a size");
}
