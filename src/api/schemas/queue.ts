// The queue as the scheduler last explained it: per tier, each waiting job with its reason both as the
// sentence `fjord explain` prints and as structured data a client can filter on.
import { z } from "zod";
import type { WaitingReason } from "../../scheduler/decisions.ts";
import type { QueueEntry } from "../../service/control-plane.ts";
import { EXAMPLE_AT, EXAMPLE_JOB_ID, isoFromMs, isoOrNull, isoTimestamp, withExample } from "./common.ts";

const scope = z.enum(["node", "nvlink-domain", "network-block", "site"]);

export const waitingReasonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("not-yet"), notBefore: isoTimestamp }),
  z.object({
    kind: z.literal("deferred"),
    until: isoTimestamp,
    signal: z.enum(["carbon", "price"]),
    saving: z.number().describe("Drop of the signal's mean over the run against starting at once, 0…1."),
    deadline: isoTimestamp.nullable(),
  }),
  z.object({ kind: z.literal("unknown-tenant"), tenant: z.string() }),
  z.object({ kind: z.literal("no-eligible-site"), detail: z.string() }),
  z.object({ kind: z.literal("too-large"), gpus: z.number(), largestGpus: z.number(), scope }),
  z.object({
    kind: z.literal("too-few-nodes"),
    nodes: z.number(),
    gpusPerNode: z.number(),
    largestNodes: z.number(),
    scope,
  }),
  z.object({
    kind: z.literal("tenant-quota"),
    tenant: z.string(),
    usedGpus: z.number(),
    quotaGpus: z.number(),
    gpus: z.number(),
  }),
  z.object({
    kind: z.literal("quota-held"),
    tenant: z.string(),
    usedGpus: z.number(),
    quotaGpus: z.number(),
    gpus: z.number(),
    heldForJobId: z.string(),
    heldGpus: z.number(),
  }),
  z.object({
    kind: z.literal("quota-borrowing"),
    tenant: z.string(),
    usedGpus: z.number(),
    quotaGpus: z.number(),
    gpus: z.number(),
  }),
  z.object({
    kind: z.literal("borrowing-limit"),
    tier: z.string(),
    guaranteedGpus: z.number(),
    borrowedGpus: z.number(),
    limitGpus: z.number(),
    gpus: z.number(),
  }),
  z.object({ kind: z.literal("no-room"), scope, gpus: z.number(), gpuModels: z.array(z.string()) }),
  z.object({ kind: z.literal("reserved"), startAt: isoTimestamp, siteId: z.string(), gpus: z.number() }),
  z.object({ kind: z.literal("preemption-not-worth"), lostGpuS: z.number(), gainGpuS: z.number() }),
]);

export type WaitingReasonWire = z.output<typeof waitingReasonSchema>;

export function reasonToWire(reason: WaitingReason): WaitingReasonWire {
  switch (reason.kind) {
    case "not-yet":
      return { kind: reason.kind, notBefore: isoFromMs(reason.notBeforeAtMs) };
    case "deferred":
      return {
        kind: reason.kind,
        until: isoFromMs(reason.untilAtMs),
        signal: reason.signal,
        saving: reason.saving,
        deadline: isoOrNull(reason.deadlineAtMs),
      };
    case "unknown-tenant":
      return { kind: reason.kind, tenant: reason.tenantId };
    case "tenant-quota":
    case "quota-held":
    case "quota-borrowing": {
      const { tenantId, ...rest } = reason;
      return { ...rest, tenant: tenantId };
    }
    case "borrowing-limit": {
      const { tierId, ...rest } = reason;
      return { ...rest, tier: tierId };
    }
    case "reserved":
      return {
        kind: reason.kind,
        startAt: isoFromMs(reason.startAtMs),
        siteId: reason.siteId,
        gpus: reason.gpus,
      };
    default:
      return reason;
  }
}

export const queueEntrySchema = z.object({
  jobId: z.string(),
  tenant: z.string(),
  tier: z.string(),
  gpus: z.number().int(),
  submittedAt: isoTimestamp,
  reason: waitingReasonSchema,
  sentence: z.string().describe("The reason as `fjord explain` prints it."),
  estimatedStart: isoTimestamp.nullable().describe("Earliest start the scheduler expects; null = never."),
});

export const queueWireSchema = withExample(
  z.object({
    at: isoTimestamp.describe("When the scheduling pass these reasons come from ran."),
    tiers: z.array(
      z.object({
        tier: z.string(),
        waitingCount: z.number().int().describe("Jobs of every tenant waiting in this tier."),
        waiting: z
          .array(queueEntrySchema)
          .describe("The jobs the caller may see, in the order they are considered."),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    tiers: [
      {
        tier: "nordic-european",
        waitingCount: 29,
        waiting: [
          {
            jobId: EXAMPLE_JOB_ID,
            tenant: "oresund-bio",
            tier: "nordic-european",
            gpus: 48,
            submittedAt: EXAMPLE_AT.submitted,
            reason: {
              kind: "tenant-quota",
              tenant: "oresund-bio",
              usedGpus: 2048,
              quotaGpus: 2048,
              gpus: 48,
            },
            sentence:
              "waiting: tenant oresund-bio would go past its GPU quota (2,048/2,048 GPUs in use; this job needs 48 more)",
            estimatedStart: EXAMPLE_AT.ended,
          },
        ],
      },
    ],
  },
);

export function queueEntryToWire(e: QueueEntry): z.output<typeof queueEntrySchema> {
  return {
    jobId: e.jobId,
    tenant: e.tenantId,
    tier: e.tierId,
    gpus: e.gpus,
    submittedAt: isoFromMs(e.submittedAtMs),
    reason: reasonToWire(e.reason),
    sentence: e.sentence,
    estimatedStart: isoOrNull(e.estimatedStartAtMs),
  };
}
