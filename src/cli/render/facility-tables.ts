// `fjord facility`: the sites with their jurisdictions and hardware, what is up and in use at each right
// now and by which tier, and the node types they are built from.
import type { z } from "zod";
import type { facilityWireSchema, occupancyWireSchema } from "../../api/schemas/facility.ts";
import { formatCount, formatInt, formatOneDecimal, formatUtcMinute } from "../../model/format.ts";
import { type Cell, right, titledTable } from "./plain-table.ts";

export type FacilityWire = z.output<typeof facilityWireSchema>;
export type OccupancyWire = z.output<typeof occupancyWireSchema>;
type OccupancySite = OccupancyWire["sites"][number];

export function facilityTables(facility: FacilityWire, occupancy: OccupancyWire): string {
  const live = new Map(occupancy.sites.map((s) => [s.siteId, s]));
  const gpus = facility.sites.reduce((sum, s) => sum + s.gpus, 0);
  const inUse = occupancy.sites.reduce((sum, s) => sum + s.allocatedGpus, 0);
  const header =
    `${facility.name} (${facility.id}): ${formatCount(facility.sites.length, "site")}, ` +
    `${formatCount(gpus, "GPU")}, ${formatInt(inUse)} in use at ${formatUtcMinute(Date.parse(occupancy.at))}\n`;
  const sites = titledTable(
    "Sites",
    [
      "Site",
      "Name",
      "Country",
      "Jurisdictions",
      "Operated by",
      "Nodes",
      "Nodes up",
      "GPUs",
      "GPUs up",
      "GPUs in use",
      "In use %",
      "Latency ms",
    ],
    facility.sites.map((site) => siteRow(site, live.get(site.id))),
  );
  return [header, sites, tierTable(occupancy), nodeTypeTable(facility)].join("\n");
}

function siteRow(site: FacilityWire["sites"][number], now: OccupancySite | undefined): Cell[] {
  const operatedBy =
    site.operator === "facility" ? "facility" : `tenant ${site.operatorTenant ?? "(not shown to you)"}`;
  const latency = Object.entries(site.latencyMs)
    .map(([region, ms]) => `${region} ${formatInt(ms)}`)
    .join(", ");
  return [
    site.id,
    site.name,
    site.country,
    site.jurisdictions.join(", "),
    operatedBy,
    right(formatInt(site.nodes)),
    right(now === undefined ? "" : formatInt(now.nodesUp)),
    right(formatInt(site.gpus)),
    right(now === undefined ? "" : formatInt(now.availableGpus)),
    right(now === undefined ? "" : formatInt(now.allocatedGpus)),
    right(now === undefined || now.availableGpus === 0 ? "" : percent(now.allocatedGpus, now.availableGpus)),
    latency,
  ];
}

/** GPUs in use per site and tier; tiers in the order they first appear. */
function tierTable(occupancy: OccupancyWire): string {
  // Tier ids are the operator's words: read through Maps, never as keys of a plain object.
  const bySite = occupancy.sites.map((s) => ({ site: s, tiers: new Map(Object.entries(s.allocatedByTier)) }));
  const tiers = [...new Set(bySite.flatMap((s) => [...s.tiers.keys()]))];
  if (tiers.length === 0) return "GPUs in use by tier: none\n";
  return titledTable(
    "GPUs in use by tier",
    ["Site", ...tiers],
    bySite.map(({ site, tiers: used }) => [
      site.siteId,
      ...tiers.map((t) => right(formatInt(used.get(t) ?? 0))),
    ]),
  );
}

function nodeTypeTable(facility: FacilityWire): string {
  return titledTable(
    "Node types",
    ["Node type", "GPU model", "GPUs per node", "GPU memory GiB", "GPU max power W", "Nodes", "GPUs"],
    facility.nodeTypes.map((t) => {
      const placed = facility.sites.flatMap((s) => s.nodeTypes.filter((n) => n.nodeType === t.id));
      return [
        t.id,
        t.gpuModel,
        right(formatInt(t.gpusPerNode)),
        right(formatInt(t.gpuMemoryGiB)),
        right(formatInt(t.gpuMaxPowerW)),
        right(formatInt(placed.reduce((sum, n) => sum + n.nodes, 0))),
        right(formatInt(placed.reduce((sum, n) => sum + n.gpus, 0))),
      ];
    }),
  );
}

function percent(part: number, whole: number): string {
  return formatOneDecimal((100 * part) / whole);
}
