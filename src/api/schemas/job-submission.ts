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
import type { Job, JobShape } from "../../model/types.ts";
import { checkSize } from "../../queue/job-schema.ts";
import { text } from "./common.ts";

/** How much longer than its estimate a job may run by default before it is stopped (as in job files). */
const DEFAULT_LIMIT_FACTOR = 1.5;

const durationS = positiveInt.describe("Whole seconds, more than 0.");

export const jobSubmissionSchema = strict({
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
  priority: z.number().int().default(0).describe("Among the tenant's own jobs; higher goes first."),
  residency: z
    .array(jurisdictionTag)
    .min(1, "must list at least one jurisdiction; leave residency out to allow any site")
    .max(32)
    .nullish()
    .describe('Jurisdictions the job may run in, e.g. ["EEA"]; omitted or null = anywhere.'),
  maxLatency: strict({ region: text(100), ms: nonNegativeNumber })
    .nullish()
    .describe("Most round-trip latency to a user region."),
  checkpointIntervalS: durationS.nullish().describe("Seconds between checkpoints; null = never checkpoints."),
  notBefore: timestampMs.nullish().describe("Earliest start, ISO 8601 with Z or an offset."),
  deadline: timestampMs.nullish().describe("Latest finish the owner accepts, ISO 8601."),
  topology: z.enum(["auto", "nvlink-domain", "network-block", "site"]).default("auto"),
  labels: z
    .record(
      labelKey,
      z
        .string()
        .max(1000)
        .regex(/^[^\p{Cc}]*$/u, "must not contain control characters"),
    )
    .refine((labels) => Object.keys(labels).length <= 64, "must have at most 64 labels")
    .default({}),
}).superRefine((job, ctx) => {
  checkSize(job, ctx);
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
}, whenValid);

export type JobSubmission = z.output<typeof jobSubmissionSchema>;

/** The submission as the scheduler's Job, under the id and time the server assigned. */
export function jobFromSubmission(
  submission: JobSubmission,
  ids: { id: string; tenantId: string; submittedAtMs: number },
): Job {
  const { gpuModel } = submission;
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
  };
}

// The schema guarantees exactly one complete form, so the last branch is a bug, not an input error.
function shapeOf(submission: JobSubmission): JobShape {
  if (submission.nodes !== undefined && submission.gpusPerNode !== undefined)
    return { kind: "gang", nodes: submission.nodes, gpusPerNode: submission.gpusPerNode };
  if (submission.gpus !== undefined) return { kind: "gpus", gpus: submission.gpus };
  throw new Error("a job submission passed validation without a size");
}
