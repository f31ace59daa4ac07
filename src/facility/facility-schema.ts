// The facility file as written: node types, sites, halls and rack groups (not yet individual nodes).
// Structure is checked field by field; the cross-references are checked once the structure is sound.
import { z } from "zod";
import { gpuUtilisationSchema, siteEnergySchema } from "../accounting/energy-schema.ts";
import {
  countryCode,
  type IdAt,
  idSchema,
  jurisdictionTag,
  nonEmptyString,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  reportDuplicateIds,
  strict,
  unknownReference,
  whenValid,
} from "../model/input-schemas.ts";
import { migSlices } from "../model/job-shape.ts";
import type { SiteOperator } from "../model/types.ts";
import { siteExecutorSchema } from "./site-executor-schema.ts";

/**
 * The largest NVLink domain a rack may claim. The biggest built today is NVL72 (72 GPUs); twice that leaves
 * room for the next generation while still catching a `nodesPerRack` typo on an `nvlinkDomain: rack` group.
 */
export const MAX_RACK_NVLINK_GPUS = 72 * 2;

const nodeTypeSchema = strict({
  id: idSchema,
  gpuModel: nonEmptyString,
  gpusPerNode: positiveInt,
  gpuMemoryGiB: positiveNumber,
  gpuIdlePowerW: nonNegativeNumber,
  gpuMaxPowerW: positiveNumber,
  cpuCores: positiveInt,
  memoryGiB: positiveNumber,
  nodeOverheadPowerW: nonNegativeNumber,
  gpuSharing: z.boolean().optional(),
  migProfiles: z
    .array(
      z.string().refine((p) => migSlices(p) !== null, {
        message: "must be a MIG profile <slices>g.<memory>gb with 1–7 slices, e.g. 3g.40gb",
      }),
    )
    .min(1)
    .refine((ps) => new Set(ps).size === ps.length, { message: "must not list a profile twice" })
    .optional(),
}).superRefine((type, ctx) => {
  if (type.gpuSharing === true && type.migProfiles !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["migProfiles"],
      message:
        "a GPU type is either shared in thousandths (gpuSharing) or partitioned (migProfiles), not both",
    });
  }
  if (type.gpuIdlePowerW > type.gpuMaxPowerW) {
    ctx.addIssue({
      code: "custom",
      path: ["gpuIdlePowerW"],
      message: `must not exceed gpuMaxPowerW (${type.gpuIdlePowerW} W > ${type.gpuMaxPowerW} W)`,
    });
  }
}, whenValid);

const operatorSchema = z
  .union([z.literal("facility"), strict({ tenant: idSchema })], {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : 'must be "facility" or { tenant: <tenant id> } for a tenant-run site',
  })
  .transform((op): SiteOperator => (op === "facility" ? "facility" : { tenantId: op.tenant }));

const rackGroupSchema = strict({
  /** Racks in this group. */
  count: positiveInt,
  nodeType: idSchema,
  nodesPerRack: positiveInt,
  /** `rack`: the rack's GPUs form one NVLink domain (NVL72); `node`: each node is its own domain (HGX). */
  nvlinkDomain: z.enum(["rack", "node"]),
  /** Consecutive racks of the group share a network block; the last block may be smaller. */
  racksPerNetworkBlock: positiveInt,
});

const hallSchema = strict({
  id: idSchema,
  rackGroups: z.array(rackGroupSchema).min(1),
});

const siteSchema = strict({
  id: idSchema,
  name: nonEmptyString.optional(),
  country: countryCode,
  jurisdictions: z.array(jurisdictionTag).min(1, "must list at least one jurisdiction, like [NO, EEA]"),
  gridZone: nonEmptyString,
  operator: operatorSchema.default("facility"),
  latencyMs: z.record(nonEmptyString, nonNegativeNumber).default({}),
  halls: z.array(hallSchema).min(1),
  /** Cooling, losses, water, heat reuse, supply and reporting facts (docs/energy.md); defaults when omitted. */
  energy: siteEnergySchema.optional(),
  /** What runs the site's jobs (docs/slurm.md); default the simulated executor. */
  executor: siteExecutorSchema.default("simulated"),
});

const facilityShape = strict({
  id: idSchema,
  name: nonEmptyString.optional(),
  nodeTypes: z.array(nodeTypeSchema).min(1),
  sites: z.array(siteSchema).min(1),
  /** How busy a job's GPUs are, by job kind, for energy accounting (docs/energy.md). */
  gpuUtilisation: gpuUtilisationSchema.prefault({}),
});

export const facilitySchema = facilityShape.superRefine((facility, ctx) => {
  checkUniqueIds(facility, ctx);
  checkRackGroups(facility, ctx);
}, whenValid);

export type FacilityDocument = z.output<typeof facilitySchema>;

function checkUniqueIds(facility: FacilityDocument, ctx: z.RefinementCtx): void {
  const typeIds = facility.nodeTypes.map((t, i): IdAt => ({ id: t.id, path: ["nodeTypes", i, "id"] }));
  reportDuplicateIds(ctx, typeIds, "node type");
  const siteIds = facility.sites.map((s, i): IdAt => ({ id: s.id, path: ["sites", i, "id"] }));
  reportDuplicateIds(ctx, siteIds, "site");
  // Hall ids are unique across the whole facility, not only within a site, so a hall can be named alone.
  const hallIds = facility.sites.flatMap((s, si) =>
    s.halls.map((h, hi): IdAt => ({ id: h.id, path: ["sites", si, "halls", hi, "id"] })),
  );
  reportDuplicateIds(ctx, hallIds, "hall");
  for (const [si, site] of facility.sites.entries()) {
    if (site.energy === undefined) continue;
    const at = ["sites", si, "energy"];
    const offtakers = site.energy.heatRecovery.offtakers.map(
      (o, i): IdAt => ({ id: o.id, path: [...at, "heatRecovery", "offtakers", i, "id"] }),
    );
    reportDuplicateIds(ctx, offtakers, "offtaker");
    const sources = site.energy.supply.sources.map(
      (s, i): IdAt => ({ id: s.id, path: [...at, "supply", "sources", i, "id"] }),
    );
    reportDuplicateIds(ctx, sources, "source");
  }
}

function checkRackGroups(facility: FacilityDocument, ctx: z.RefinementCtx): void {
  const typesById = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  for (const [si, site] of facility.sites.entries()) {
    for (const [hi, hall] of site.halls.entries()) {
      for (const [gi, group] of hall.rackGroups.entries()) {
        const path = ["sites", si, "halls", hi, "rackGroups", gi];
        const type = typesById.get(group.nodeType);
        if (type === undefined) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "nodeType"],
            message: unknownReference("node type", group.nodeType, [...typesById.keys()]),
          });
          continue;
        }
        const rackGpus = group.nodesPerRack * type.gpusPerNode;
        if (group.nvlinkDomain === "rack" && rackGpus > MAX_RACK_NVLINK_GPUS) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "nodesPerRack"],
            message:
              `gives an NVLink domain of ${rackGpus} GPUs (${group.nodesPerRack} nodes × ${type.gpusPerNode} GPUs), ` +
              `more than ${MAX_RACK_NVLINK_GPUS} (twice NVL72, the largest rack-scale domain); check nodesPerRack`,
          });
        }
      }
    }
  }
}
