// A running-jobs file: the jobs that already hold GPUs when a pass is explained or simulated, each with the
// exact GPUs it holds.
//
//   running:
//     - job: { id: job-x, tenant: aurora-labs, gpus: 8, estimatedRuntime: 2h }   # same fields as a jobs entry
//       startedAt: 2026-12-01T10:00:00Z
//       allocation: { site: no-kvandal, nodes: [{ node: no-kvandal/hall-a-r001-n01, gpus: [0, 1, 2, 3] }] }
//
// Only the file's own structure is checked here; whether the nodes exist and the GPUs are free needs the
// facility and the queue (check-running.ts).
import { z } from "zod";
import {
  idSchema,
  nonEmptyString,
  nonNegativeInt,
  reportDuplicateIds,
  strict,
  timestampMs,
  validate,
  whenValid,
} from "../model/input-schemas.ts";
import type { RunningJob } from "../model/types.ts";
import { fromYamlText } from "../model/yaml-source.ts";
import { jobSchema } from "./job-schema.ts";
import { toJob } from "./parse-jobs.ts";

const nodeAllocationSchema = strict({
  node: nonEmptyString,
  gpus: z.array(nonNegativeInt).min(1, "must list at least one GPU index, like [0, 1]"),
}).superRefine((n, ctx) => {
  const seen = new Set<number>();
  n.gpus.forEach((gpu, k) => {
    if (seen.has(gpu))
      ctx.addIssue({ code: "custom", path: ["gpus", k], message: `GPU ${gpu} is listed twice` });
    seen.add(gpu);
  });
}, whenValid);

const allocationSchema = strict({
  site: idSchema,
  nodes: z.array(nodeAllocationSchema).min(1, "must list at least one node"),
}).superRefine((a, ctx) => {
  const first = new Map<string, number>();
  a.nodes.forEach((n, k) => {
    const earlier = first.get(n.node);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["nodes", k, "node"],
        message: `node ${n.node} is already listed at nodes[${earlier}]; list all its GPUs there`,
      });
    } else first.set(n.node, k);
  });
}, whenValid);

const runningEntrySchema = strict({
  job: jobSchema,
  startedAt: timestampMs,
  allocation: allocationSchema,
}).superRefine((entry, ctx) => {
  // Queued jobs may go without an id (they get one from their position); a running job is named by
  // preemption decisions and by whoever stops it, so a position-based id would be a trap.
  if (entry.job.id === undefined) {
    ctx.addIssue({ code: "custom", path: ["job", "id"], message: "is required for a running job" });
  }
}, whenValid);

export const runningFileSchema = z
  .strictObject(
    { running: z.array(runningEntrySchema) },
    {
      error: (issue) => {
        if (issue.code === "unrecognized_keys") return "is not a known key here (known keys: running)";
        if (issue.code === "invalid_type") return "must be a mapping with a `running:` list";
        return undefined;
      },
    },
  )
  .superRefine((file, ctx) => {
    const ids = file.running.flatMap((entry, i) =>
      entry.job.id === undefined ? [] : [{ id: entry.job.id, path: ["running", i, "job", "id"] }],
    );
    reportDuplicateIds(ctx, ids, "job");
  }, whenValid);

type RunningEntry = z.output<typeof runningEntrySchema>;

/** Validates `{ running: [...] }`; throws InputError naming every problem as `running[i].field`. */
export function runningFromDocument(doc: unknown, source: string): RunningJob[] {
  return validate(runningFileSchema, doc, source).running.map(toRunning);
}

/** Parses running-jobs YAML (or JSON, a subset of YAML); errors carry the YAML line of their field. */
export function parseRunningYaml(text: string, source: string): RunningJob[] {
  return fromYamlText(text, source, (data) => runningFromDocument(data, source));
}

function toRunning(entry: RunningEntry, index: number): RunningJob {
  const startedAtMs = entry.startedAt;
  return {
    // A running job that does not say when it was submitted was submitted no later than it started.
    job: toJob(entry.job, index, { nowMs: startedAtMs }),
    startedAtMs,
    allocation: {
      siteId: entry.allocation.site,
      nodes: entry.allocation.nodes.map((n) => ({ nodeId: n.node, gpus: [...n.gpus].sort((a, b) => a - b) })),
    },
  };
}
