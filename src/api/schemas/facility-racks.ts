// The floor as the dashboard draws it: every rack with the GPUs in use on it, per tier and per tenant the
// caller may see, and one rack's nodes with the jobs on them. Tier figures are facility-wide like
// /v1/facility/occupancy's; tenant figures and job ids are the caller's own (operators: everyone's).
import { z } from "zod";
import { EXAMPLE_AT, EXAMPLE_JOB_ID, isoTimestamp, withExample } from "./common.ts";

const gpuCounts = z
  .record(z.string(), z.number().int())
  .describe("GPUs in use by key; keys with none are left out.");

const rackSchema = z.object({
  id: z.string(),
  nodeType: z.string(),
  nodes: z.number().int(),
  nodesUp: z.number().int(),
  gpus: z.number().int(),
  allocatedGpus: z.number().int().describe("GPUs in use on the rack, by every tenant."),
  allocatedByTier: gpuCounts,
  allocatedByTenant: gpuCounts.describe(
    "GPUs in use per tenant the key may see: every tenant for operators, a tenant key's own only.",
  ),
});

export const rackFloorWireSchema = withExample(
  z.object({
    at: isoTimestamp,
    tiers: z.array(z.string()).describe("The policy's tiers in priority order."),
    sites: z.array(
      z.object({
        siteId: z.string(),
        name: z.string(),
        operator: z.enum(["facility", "tenant"]),
        executor: z
          .string()
          .describe("What runs the site's jobs: `simulated` for the built-in executor, or e.g. `slurm`."),
        executorReachable: z
          .boolean()
          .nullable()
          .describe(
            "Whether the executor answers: the simulated one always; a Slurm site's controller as `scontrol ping` last said (null until it first answers or fails).",
          ),
        executorCheckedAt: isoTimestamp
          .nullable()
          .describe("When it was last asked; null for the simulated executor."),
        executorDetail: z.string().describe("What the executor said, or why it did not answer."),
        halls: z.array(z.object({ hallId: z.string(), racks: z.array(rackSchema) })),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    tiers: ["national", "nordic-european", "global"],
    sites: [
      {
        siteId: "no-kvandal",
        name: "Stargate Norway, Kvandal (Narvik)",
        operator: "facility",
        executor: "simulated",
        executorReachable: true,
        executorCheckedAt: null,
        executorDetail: "runs in the control plane's own process",
        halls: [
          {
            hallId: "no-kvandal/hall-a",
            racks: [
              {
                id: "no-kvandal/hall-a-r001",
                nodeType: "gb300-nvl72-tray",
                nodes: 18,
                nodesUp: 18,
                gpus: 72,
                allocatedGpus: 40,
                allocatedByTier: { national: 32, global: 8 },
                allocatedByTenant: { "aurora-labs": 32 },
              },
            ],
          },
        ],
      },
    ],
  },
);

export const rackDetailWireSchema = withExample(
  z.object({
    at: isoTimestamp,
    rack: z.object({ id: z.string(), siteId: z.string(), hallId: z.string(), nodeType: z.string() }),
    nodes: z.array(
      z.object({
        id: z.string(),
        state: z.enum(["up", "down", "drain"]),
        gpus: z.number().int(),
        allocatedGpus: z.number().int().describe("GPUs in use on the node, by every tenant."),
        jobs: z
          .array(
            z.object({
              jobId: z.string(),
              name: z.string(),
              tenant: z.string(),
              tier: z.string().nullable(),
              gpus: z.number().int(),
            }),
          )
          .describe("The jobs on the node the key may see; other tenants' GPUs count in allocatedGpus only."),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    rack: {
      id: "no-kvandal/hall-a-r001",
      siteId: "no-kvandal",
      hallId: "no-kvandal/hall-a",
      nodeType: "gb300-nvl72-tray",
    },
    nodes: [
      {
        id: "no-kvandal/hall-a-r001-n01",
        state: "up",
        gpus: 4,
        allocatedGpus: 4,
        jobs: [
          { jobId: EXAMPLE_JOB_ID, name: "finetune-nb", tenant: "aurora-labs", tier: "national", gpus: 4 },
        ],
      },
    ],
  },
);
