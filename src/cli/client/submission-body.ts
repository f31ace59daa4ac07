// A job from a Fjord job file in the API's wire form: durations in whole seconds (`…S`), times in ISO 8601,
// the size as nodes × gpusPerNode or gpus. The file's own id is not sent (the service assigns `job_…` ids);
// it stays as the name when the entry gives none, and submission times are the service's, not the file's.
import type { z } from "zod";
import type { jobSubmissionSchema } from "../../api/schemas/job-submission.ts";
import { commandFields } from "../../model/job-command-schema.ts";
import { totalGpus } from "../../model/job-shape.ts";
import type { Job } from "../../model/types.ts";

/** A POST /v1/jobs body, as sent. */
export type SubmissionBody = z.input<typeof jobSubmissionSchema>;

export function submissionFromJob(job: Job): SubmissionBody {
  const size =
    job.shape.kind === "gang"
      ? { nodes: job.shape.nodes, gpusPerNode: job.shape.gpusPerNode }
      : { gpus: totalGpus(job.shape) };
  return {
    tenant: job.tenantId,
    name: job.name,
    ...size,
    ...(job.gpuModels === null ? {} : { gpuModel: job.gpuModels }),
    estimatedRuntimeS: job.estimatedRuntimeS,
    limitS: job.limitS,
    priority: job.priority,
    ...(job.residency === null ? {} : { residency: job.residency }),
    ...(job.maxLatency === null ? {} : { maxLatency: job.maxLatency }),
    ...(job.checkpointIntervalS === null ? {} : { checkpointIntervalS: job.checkpointIntervalS }),
    ...(job.notBeforeAtMs === null ? {} : { notBefore: new Date(job.notBeforeAtMs).toISOString() }),
    ...(job.deadlineAtMs === null ? {} : { deadline: new Date(job.deadlineAtMs).toISOString() }),
    topology: job.topology,
    labels: job.labels,
    ...(job.command == null ? {} : withoutNulls(commandFields(job.command))),
  };
}

/** The command fields a job gives (a null one is the same as leaving it out, and older servers take that). */
function withoutNulls<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) as Partial<T>;
}
