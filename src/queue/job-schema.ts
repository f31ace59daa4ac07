// A jobs file as written: `jobs: [...]` (a bare list is wrapped into that form before validation, so error
// paths always read `jobs[3].limit`). Defaults that need the clock are applied later, in parse-jobs.ts.
import { z } from "zod";
import { formatDurationS } from "../model/duration.ts";
import {
  idSchema,
  jurisdictionTag,
  labelKey,
  nonEmptyString,
  nonNegativeNumber,
  positiveDurationS,
  positiveInt,
  reportDuplicateIds,
  storable,
  strict,
  timestampMs,
  whenValid,
} from "../model/input-schemas.ts";
import { checkCommand, jobCommandShape } from "../model/job-command-schema.ts";

/** Ids for jobs that do not give one: their 1-based position, so the same file always yields the same ids. */
export function defaultJobId(index: number): string {
  return `job-${String(index + 1).padStart(4, "0")}`;
}

const SIZE_FORMS = "nodes with gpusPerNode (an all-or-nothing gang) or gpus (a GPU count)";

/** One job entry; exported for files that embed jobs, such as the running-jobs file. */
export const jobSchema = strict({
  id: idSchema.optional(),
  tenant: idSchema,
  name: nonEmptyString.optional(),
  nodes: positiveInt.optional(),
  gpusPerNode: positiveInt.optional(),
  gpus: positiveInt.optional(),
  gpuModel: z
    .union([nonEmptyString, z.array(nonEmptyString).min(1)], {
      error: (issue) =>
        issue.input === undefined ? undefined : "must be a GPU model like GB300 or a list like [GB300, H100]",
    })
    .optional(),
  estimatedRuntime: positiveDurationS,
  /** Hard wall-clock limit; defaults to 1.5 × estimatedRuntime. */
  limit: positiveDurationS.optional(),
  priority: z.number().int("must be a whole number").default(0),
  residency: z
    .array(jurisdictionTag)
    .min(1, "must list at least one jurisdiction; leave residency out to allow any site")
    .optional(),
  maxLatency: strict({ region: nonEmptyString, ms: nonNegativeNumber }).optional(),
  checkpointInterval: positiveDurationS.optional(),
  notBefore: timestampMs.optional(),
  deadline: timestampMs.optional(),
  topology: z.enum(["auto", "nvlink-domain", "network-block", "site"]).default("auto"),
  labels: z
    .record(
      labelKey,
      z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? undefined
              : `must be a text value; quote it, like "${String(issue.input)}"`,
        })
        .check(storable),
    )
    .default({}),
  submittedAt: timestampMs.optional(),
  ...jobCommandShape,
}).superRefine((job, ctx) => {
  checkSize(job, ctx);
  checkCommand(job, ctx);
  if (job.limit !== undefined && job.limit < job.estimatedRuntime) {
    ctx.addIssue({
      code: "custom",
      path: ["limit"],
      message:
        `must be at least estimatedRuntime (${formatDurationS(job.limit)} < ${formatDurationS(job.estimatedRuntime)}): ` +
        "the job would always be stopped before it is expected to finish",
    });
  }
  if (job.notBefore !== undefined && job.deadline !== undefined && job.deadline < job.notBefore) {
    ctx.addIssue({
      code: "custom",
      path: ["deadline"],
      message: `must not be before notBefore (${new Date(job.notBefore).toISOString()})`,
    });
  }
}, whenValid);

/** A job is sized either as a gang (nodes × gpusPerNode) or as a GPU count; shared with the API's schema. */
export function checkSize(
  job: { nodes?: number | undefined; gpusPerNode?: number | undefined; gpus?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const gang = job.nodes !== undefined || job.gpusPerNode !== undefined;
  if (gang && job.gpus !== undefined) {
    ctx.addIssue({ code: "custom", path: ["gpus"], message: `give either ${SIZE_FORMS}, not both` });
  } else if (job.nodes !== undefined && job.gpusPerNode === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["gpusPerNode"],
      message: "is required with nodes (GPUs on each node)",
    });
  } else if (job.nodes === undefined && job.gpusPerNode !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["nodes"],
      message: "is required with gpusPerNode; for a plain GPU count use gpus instead",
    });
  } else if (!gang && job.gpus === undefined) {
    ctx.addIssue({ code: "custom", message: `needs a size: ${SIZE_FORMS}` });
  }
}

export type JobDocument = z.output<typeof jobSchema>;

export const jobsFileSchema = z
  .strictObject(
    { jobs: z.array(jobSchema) },
    {
      error: (issue) => {
        if (issue.code === "unrecognized_keys") return "is not a known key here (known keys: jobs)";
        if (issue.code === "invalid_type") return "must be a list of jobs, or a mapping with a `jobs:` list";
        return undefined;
      },
    },
  )
  .superRefine((file, ctx) => {
    const ids = file.jobs.map((job, i) =>
      job.id === undefined
        ? { id: defaultJobId(i), path: ["jobs", i] }
        : { id: job.id, path: ["jobs", i, "id"] },
    );
    reportDuplicateIds(ctx, ids, "job");
  }, whenValid);
