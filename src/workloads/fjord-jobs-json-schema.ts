// The JSON Schema (2020-12) of one line of a Fjord JSON-lines jobs file, published as
// schemas/fjord-jobs.schema.json for tools outside Fjord (editors, other languages' validators).
// Generated from the zod schema Fjord itself validates with, so the two cannot drift apart; then
// completed by hand where zod's transforms and refinements have no JSON Schema form: durations, the two
// size forms, and descriptions. Fjord's own parser stays the authority (e.g. on limit ≥ estimatedRuntime,
// which JSON Schema cannot compare).
import { z } from "zod";
import { jobSchema } from "../queue/job-schema.ts";

export type JsonSchema = { [key: string]: unknown };

/** A duration as readDurationS accepts it: "36h", "1h30m", "90s", "1.5h", or a plain number of seconds. */
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const UNIT = (u: string) => String.raw`(?:${NUMBER}\s*${u}\s*)?`;
export const DURATION_PATTERN = String.raw`^\s*(?:${NUMBER}|(?=\d)${["w", "d", "h", "m", "s"].map(UNIT).join("")})\s*$`;

const duration = (description: string): JsonSchema => ({
  description,
  anyOf: [
    { type: "integer", minimum: 1 },
    { type: "string", pattern: DURATION_PATTERN },
  ],
});

const positiveCount = (description: string): JsonSchema => ({ description, type: "integer", minimum: 1 });

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  id: "Job id; default job-NNNN from the job's 1-based position in the file.",
  tenant: "Id of the tenant the job belongs to (a tenant of the access policy).",
  name: "Human-readable name; default the id.",
  gpuModel: "Allowed GPU model, or a list of them; leave out for any model.",
  priority: "Priority among the tenant's own jobs; higher goes first.",
  residency:
    "Jurisdictions the job and its data may be in (a site qualifies if it lies in any); leave out for anywhere.",
  maxLatency: "Most round-trip latency, in ms, the job tolerates to a user region.",
  notBefore: "Earliest start, ISO 8601 with Z or an offset.",
  deadline: "Latest finish the owner accepts, ISO 8601 with Z or an offset.",
  topology: "How tightly the job must be placed; auto = the tightest level its size fits.",
  labels: "Free-form text labels.",
  submittedAt: "Submission time, ISO 8601 with Z or an offset; default: the time the file is read.",
};

export function fjordJobJsonSchema(): JsonSchema {
  const base = z.toJSONSchema(jobSchema, { io: "input", target: "draft-2020-12" }) as JsonSchema;
  const generated = base.properties as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(generated)) {
    const description = DESCRIPTIONS[name];
    properties[name] = description === undefined ? schema : { description, ...schema };
  }
  Object.assign(properties, {
    nodes: positiveCount("Nodes of an all-or-nothing gang; needs gpusPerNode."),
    gpusPerNode: positiveCount("GPUs on each node of the gang; needs nodes."),
    gpus: positiveCount(
      "A number of GPUs, packed onto as few nodes as possible; instead of nodes and gpusPerNode.",
    ),
    priority: { description: DESCRIPTIONS.priority, type: "integer", default: 0 },
    estimatedRuntime: duration(
      "The owner's estimate of the runtime: a duration like 36h or 1h30m, or seconds.",
    ),
    limit: duration("Hard wall-clock limit, at least estimatedRuntime; default 1.5 × estimatedRuntime."),
    checkpointInterval: duration("Time between checkpoints; leave out if the job never checkpoints."),
    runtime: duration("Seconds of work the job really needs (for simulation); default estimatedRuntime."),
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Fjord job (one line of a JSON-lines jobs file)",
    description:
      "A job as Fjord's YAML jobs files write it, plus runtime. See docs/workloads.md; Fjord's parser also " +
      "checks rules JSON Schema cannot express, such as limit ≥ estimatedRuntime.",
    type: "object",
    properties,
    required: base.required,
    additionalProperties: false,
    // Exactly one size form: a gang (nodes with gpusPerNode) or a GPU count.
    oneOf: [
      { required: ["nodes", "gpusPerNode"], not: { required: ["gpus"] } },
      { required: ["gpus"], not: { anyOf: [{ required: ["nodes"] }, { required: ["gpusPerNode"] }] } },
    ],
  };
}
