// A job as the API shows it: the submission's fields as stored (defaults filled in), its state and where
// it runs. Times are ISO 8601 UTC; durations are whole seconds.
import { z } from "zod";
import { commandFields } from "../../model/job-command-schema.ts";
import { totalGpus } from "../../model/job-shape.ts";
import type { JobDeferral } from "../../model/types.ts";
import type { JobRecord } from "../../store/records.ts";
import { EXAMPLE_AT, EXAMPLE_JOB_ID, isoFromMs, isoOrNull, isoTimestamp, withExample } from "./common.ts";

export const JOB_STATES = ["queued", "running", "completed", "failed", "cancelled"] as const;

const allocationSchema = z.object({
  siteId: z.string(),
  nodes: z.array(z.object({ nodeId: z.string(), gpus: z.array(z.number().int()) })),
});

const deferralSchema = z
  .discriminatedUnion("deferred", [
    z.object({
      deferred: z.literal(true),
      until: isoTimestamp.describe("The job's earliest start was raised to this hour."),
      signal: z.enum(["carbon", "price"]),
      saving: z.number().describe("Drop of the signal's mean over the run against starting at once, 0…1."),
      deadline: isoTimestamp.nullable(),
    }),
    z.object({ deferred: z.literal(false) }),
  ])
  .nullable()
  .describe(
    "For a job labelled deferrable=true, what the policy decided at submission: deferred to cleaner or " +
      "cheaper hours, or not (waiting would not save enough, or no signals). null for other jobs.",
  );

export const jobWireSchema = withExample(
  z.object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    nodes: z.number().int().nullable().describe("Nodes of a gang; null for a GPU-count job."),
    gpusPerNode: z.number().int().nullable(),
    gpus: z.number().int().describe("GPUs the job needs in all."),
    gpuModels: z.array(z.string()).nullable().describe("Allowed GPU models; null = any."),
    estimatedRuntimeS: z.number().int(),
    limitS: z.number().int(),
    priority: z.number().int(),
    residency: z.array(z.string()).nullable(),
    maxLatency: z.object({ region: z.string(), ms: z.number() }).nullable(),
    checkpointIntervalS: z.number().int().nullable(),
    notBefore: isoTimestamp.nullable(),
    deadline: isoTimestamp.nullable(),
    deferral: deferralSchema,
    topology: z.enum(["auto", "nvlink-domain", "network-block", "site"]),
    labels: z.record(z.string(), z.string()),
    command: z.array(z.string()).nullable().describe("Program and arguments; null = the site's default."),
    workDir: z.string().nullable(),
    env: z.record(z.string(), z.string()).nullable(),
    stdoutPath: z.string().nullable(),
    stderrPath: z.string().nullable(),
    submittedAt: isoTimestamp,
    state: z.enum(JOB_STATES),
    submittedBy: z.string().describe("Id of the API key that submitted the job."),
    startedAt: isoTimestamp.nullable().describe("Start of the current or last run."),
    endedAt: isoTimestamp.nullable(),
    allocation: allocationSchema.nullable().describe("GPUs held now (running) or in the last run."),
    clusterGpus: z
      .array(z.object({ nodeId: z.string(), gpus: z.array(z.number().int()) }))
      .nullable()
      .describe(
        "GPU indices the site's cluster gave the current or last run (Slurm picks them itself, so they may " +
          "differ from allocation's); null until the cluster reports them, and at simulated sites.",
      ),
    restarts: z.number().int().describe("Times the job was preempted or lost to a node failure."),
    gpuHoursUsed: z.number().describe("GPU-hours of the runs that have ended."),
  }),
  {
    id: EXAMPLE_JOB_ID,
    tenant: "aurora-labs",
    name: "finetune-nb",
    nodes: null,
    gpusPerNode: null,
    gpus: 16,
    gpuModels: ["GB300"],
    estimatedRuntimeS: 1800,
    limitS: 2700,
    priority: 0,
    residency: ["EEA"],
    maxLatency: null,
    checkpointIntervalS: 600,
    notBefore: null,
    deadline: null,
    deferral: null,
    topology: "auto",
    labels: { team: "nlp" },
    command: ["python", "train.py", "--epochs", "3"],
    workDir: "/scratch/aurora/finetune",
    env: { HF_HOME: "/scratch/aurora/hf" },
    stdoutPath: null,
    stderrPath: null,
    submittedAt: EXAMPLE_AT.submitted,
    state: "running",
    submittedBy: "key_01m8kd6wse3q4b9k2n7xv5t0pa",
    startedAt: EXAMPLE_AT.started,
    endedAt: null,
    allocation: {
      siteId: "no-kvandal",
      nodes: [
        { nodeId: "no-kvandal/hall-a-r260-n01", gpus: [0, 1, 2, 3] },
        { nodeId: "no-kvandal/hall-a-r260-n02", gpus: [0, 1, 2, 3] },
        { nodeId: "no-kvandal/hall-a-r260-n03", gpus: [0, 1, 2, 3] },
        { nodeId: "no-kvandal/hall-a-r260-n04", gpus: [0, 1, 2, 3] },
      ],
    },
    clusterGpus: null,
    restarts: 0,
    gpuHoursUsed: 0,
  },
);

export type JobWire = z.output<typeof jobWireSchema>;

export function jobToWire(record: JobRecord): JobWire {
  const { job } = record;
  const gang = job.shape.kind === "gang" ? job.shape : null;
  return {
    id: job.id,
    tenant: job.tenantId,
    name: job.name,
    nodes: gang?.nodes ?? null,
    gpusPerNode: gang?.gpusPerNode ?? null,
    gpus: totalGpus(job.shape),
    gpuModels: job.gpuModels,
    estimatedRuntimeS: job.estimatedRuntimeS,
    limitS: job.limitS,
    priority: job.priority,
    residency: job.residency,
    maxLatency: job.maxLatency,
    checkpointIntervalS: job.checkpointIntervalS,
    notBefore: isoOrNull(job.notBeforeAtMs),
    deadline: isoOrNull(job.deadlineAtMs),
    deferral: deferralToWire(job.deferral),
    topology: job.topology,
    labels: job.labels,
    ...commandFields(job.command),
    submittedAt: isoFromMs(job.submittedAtMs),
    state: record.state,
    submittedBy: record.submittedBy,
    startedAt: isoOrNull(record.startedAtMs),
    endedAt: isoOrNull(record.endedAtMs),
    allocation: record.allocation,
    clusterGpus: record.clusterGpus,
    restarts: record.restarts,
    gpuHoursUsed: record.gpuSecondsUsed / 3600,
  };
}

function deferralToWire(deferral: JobDeferral | null | undefined): z.output<typeof deferralSchema> {
  if (deferral === undefined) return null;
  if (deferral === null) return { deferred: false };
  return {
    deferred: true,
    until: isoFromMs(deferral.untilAtMs),
    signal: deferral.signal,
    saving: deferral.saving,
    deadline: isoOrNull(deferral.deadlineAtMs),
  };
}
