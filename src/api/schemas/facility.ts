// The facility as tenants and operators see it: sites with their jurisdictions, node types and counts.
// Which tenant runs a tenant-owned site is shown only to operators and to that tenant.
import { z } from "zod";
import type { Facility } from "../../model/types.ts";
import type { OccupancyView } from "../../service/control-plane.ts";
import type { Caller } from "../auth/authenticator.ts";
import { EXAMPLE_AT, isoFromMs, isoTimestamp, withExample } from "./common.ts";

const nodeTypeSchema = z.object({
  id: z.string(),
  gpuModel: z.string(),
  gpusPerNode: z.number().int(),
  gpuMemoryGiB: z.number(),
  gpuMaxPowerW: z.number(),
});

const siteSchema = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  jurisdictions: z.array(z.string()),
  gridZone: z.string(),
  operator: z.enum(["facility", "tenant"]),
  operatorTenant: z
    .string()
    .nullable()
    .describe("The tenant whose own cluster this site is; shown to operators and that tenant only."),
  latencyMs: z.record(z.string(), z.number()),
  halls: z.number().int(),
  racks: z.number().int(),
  nodes: z.number().int(),
  gpus: z.number().int(),
  nodeTypes: z.array(z.object({ nodeType: z.string(), nodes: z.number().int(), gpus: z.number().int() })),
});

export const facilityWireSchema = withExample(
  z.object({
    id: z.string(),
    name: z.string(),
    nodeTypes: z.array(nodeTypeSchema),
    sites: z.array(siteSchema),
  }),
  {
    id: "stargate-norway",
    name: "Stargate Norway",
    nodeTypes: [
      { id: "gb300-nvl72-tray", gpuModel: "GB300", gpusPerNode: 4, gpuMemoryGiB: 288, gpuMaxPowerW: 1400 },
    ],
    sites: [
      {
        id: "no-kvandal",
        name: "Kvandal",
        country: "NO",
        jurisdictions: ["NO", "EEA"],
        gridZone: "NO4",
        operator: "facility",
        operatorTenant: null,
        latencyMs: { nordics: 12, "central-europe": 38 },
        halls: 2,
        racks: 520,
        nodes: 9360,
        gpus: 37440,
        nodeTypes: [{ nodeType: "gb300-nvl72-tray", nodes: 9360, gpus: 37440 }],
      },
    ],
  },
);

export function facilityToWire(facility: Facility, caller: Caller): z.output<typeof facilityWireSchema> {
  const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  return {
    id: facility.id,
    name: facility.name,
    nodeTypes: facility.nodeTypes.map((t) => ({
      id: t.id,
      gpuModel: t.gpuModel,
      gpusPerNode: t.gpusPerNode,
      gpuMemoryGiB: t.gpuMemoryGiB,
      gpuMaxPowerW: t.gpuMaxPowerW,
    })),
    sites: facility.sites.map((site) => {
      const nodes = facility.nodes.filter((n) => n.siteId === site.id);
      const byType = new Map<string, number>();
      for (const n of nodes) byType.set(n.nodeTypeId, (byType.get(n.nodeTypeId) ?? 0) + 1);
      const nodeTypes = [...byType].map(([nodeType, count]) => ({
        nodeType,
        nodes: count,
        gpus: count * (types.get(nodeType)?.gpusPerNode ?? 0),
      }));
      const owner = site.operator === "facility" ? null : site.operator.tenantId;
      return {
        id: site.id,
        name: site.name,
        country: site.country,
        jurisdictions: site.jurisdictions,
        gridZone: site.gridZone,
        operator: owner === null ? ("facility" as const) : ("tenant" as const),
        operatorTenant:
          owner !== null && (caller.role === "operator" || caller.tenantId === owner) ? owner : null,
        latencyMs: site.latencyMs,
        halls: facility.halls.filter((h) => h.siteId === site.id).length,
        racks: facility.racks.filter((r) => r.siteId === site.id).length,
        nodes: nodes.length,
        gpus: nodeTypes.reduce((sum, t) => sum + t.gpus, 0),
        nodeTypes,
      };
    }),
  };
}

export const occupancyWireSchema = withExample(
  z.object({
    at: isoTimestamp,
    sites: z.array(
      z.object({
        siteId: z.string(),
        jurisdictions: z.array(z.string()),
        nodes: z.number().int(),
        nodesUp: z.number().int(),
        gpus: z.number().int(),
        availableGpus: z.number().int().describe("GPUs on nodes that are up."),
        allocatedGpus: z.number().int(),
        allocatedByTier: z.record(z.string(), z.number().int()),
      }),
    ),
  }),
  {
    at: EXAMPLE_AT.now,
    sites: [
      {
        siteId: "no-kvandal",
        jurisdictions: ["NO", "EEA"],
        nodes: 9360,
        nodesUp: 9352,
        gpus: 37440,
        availableGpus: 37408,
        allocatedGpus: 35120,
        allocatedByTier: { national: 18400, "nordic-european": 12080, global: 4640 },
      },
    ],
  },
);

export function occupancyToWire(view: OccupancyView): z.output<typeof occupancyWireSchema> {
  return { at: isoFromMs(view.atMs), sites: view.sites };
}
