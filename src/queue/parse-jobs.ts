// Jobs input → Job[]: validate, then fill in the defaults (ids, names, limits, submission time).
import { validate } from "../model/input-schemas.ts";
import { jobCommandOf } from "../model/job-command-schema.ts";
import type { Job, JobShape } from "../model/types.ts";
import { fromYamlText } from "../model/yaml-source.ts";
import { defaultJobId, type JobDocument, jobsFileSchema } from "./job-schema.ts";

export interface JobDefaults {
  /** Submission time for jobs that do not give `submittedAt` (epoch ms). */
  nowMs: number;
}

/** How much longer than its estimate a job may run by default before it is stopped. */
const DEFAULT_LIMIT_FACTOR = 1.5;

/** Accepts `{ jobs: [...] }` or a bare list; throws InputError naming every problem as `jobs[i].field`. */
export function jobsFromDocument(doc: unknown, source: string, defaults: JobDefaults): Job[] {
  const file = validate(jobsFileSchema, Array.isArray(doc) ? { jobs: doc } : doc, source);
  return file.jobs.map((job, index) => toJob(job, index, defaults));
}

/** Parses jobs YAML; errors carry the YAML line of the field they concern. */
export function parseJobsYaml(text: string, source: string, defaults: JobDefaults): Job[] {
  return fromYamlText(
    text,
    source,
    (data) => jobsFromDocument(data, source, defaults),
    // A bare list was wrapped as { jobs: [...] }; its YAML paths lack the leading "jobs".
    (yaml) => (Array.isArray(yaml.data) ? (segments) => yaml.lineOf(segments.slice(1)) : yaml.lineOf),
  );
}

/** One validated job entry → Job; `index` (0-based) names jobs that give no id. */
export function toJob(doc: JobDocument, index: number, defaults: JobDefaults): Job {
  const id = doc.id ?? defaultJobId(index);
  const command = jobCommandOf(doc);
  return {
    id,
    tenantId: doc.tenant,
    name: doc.name ?? id,
    shape: shapeOf(doc),
    gpuModels:
      doc.gpuModel === undefined ? null : typeof doc.gpuModel === "string" ? [doc.gpuModel] : doc.gpuModel,
    estimatedRuntimeS: doc.estimatedRuntime,
    limitS: doc.limit ?? Math.ceil(doc.estimatedRuntime * DEFAULT_LIMIT_FACTOR),
    priority: doc.priority,
    residency: doc.residency ?? null,
    maxLatency: doc.maxLatency ?? null,
    checkpointIntervalS: doc.checkpointInterval ?? null,
    notBeforeAtMs: doc.notBefore ?? null,
    deadlineAtMs: doc.deadline ?? null,
    topology: doc.topology,
    labels: doc.labels,
    submittedAtMs: doc.submittedAt ?? defaults.nowMs,
    ...(command === null ? {} : { command }),
  };
}

// job-schema.ts guarantees exactly one complete form, so the last branch is a bug, not an input error.
function shapeOf(doc: JobDocument): JobShape {
  if (doc.nodes !== undefined && doc.gpusPerNode !== undefined) {
    return { kind: "gang", nodes: doc.nodes, gpusPerNode: doc.gpusPerNode };
  }
  if (doc.gpus !== undefined) return { kind: "gpus", gpus: doc.gpus };
  throw new Error(`job ${doc.id ?? "(no id)"} passed validation without a size`);
}
