// Expands a validated facility document into halls, racks and nodes. Pure and loop-based: the default
// facility has ~27,500 nodes and is expanded on every CLI run.
//
// Ids (all prefixed with the site id, so they are unique across the facility):
//   hall  `${site}/${hall}`
//   rack  `${site}/${hall}-r001`       numbered across the hall, at least 3 digits
//   node  `${site}/${hall}-r001-n01`   numbered within the rack, at least 2 digits
//   block `${site}/${hall}-b01`        numbered across the hall; every rack group starts a new block
import { resolveSiteEnergy } from "../accounting/energy-schema.ts";
import type { Facility, FacilityNode, Hall, NodeType, Rack, Site } from "../model/types.ts";
import type { FacilityDocument } from "./facility-schema.ts";

export function expandFacility(doc: FacilityDocument): Facility {
  const nodeTypes: NodeType[] = doc.nodeTypes.map((t) => ({ ...t }));
  const sites: Site[] = [];
  const halls: Hall[] = [];
  const racks: Rack[] = [];
  const nodes: FacilityNode[] = [];

  for (const siteDoc of doc.sites) {
    const siteId = siteDoc.id;
    sites.push({
      id: siteId,
      name: siteDoc.name ?? siteId,
      country: siteDoc.country,
      jurisdictions: [...siteDoc.jurisdictions],
      gridZone: siteDoc.gridZone,
      operator: siteDoc.operator,
      latencyMs: { ...siteDoc.latencyMs },
      energy: resolveSiteEnergy(siteDoc.energy, siteDoc),
    });

    for (const hallDoc of siteDoc.halls) {
      const hallId = `${siteId}/${hallDoc.id}`;
      halls.push({ id: hallId, siteId });
      let rackNumber = 0;
      let blockNumber = 0;

      for (const group of hallDoc.rackGroups) {
        for (let r = 0; r < group.count; r++) {
          rackNumber++;
          // A new block at the group's first rack and after every full block within the group.
          if (r % group.racksPerNetworkBlock === 0) blockNumber++;
          const rackId = `${hallId}-r${String(rackNumber).padStart(3, "0")}`;
          const blockId = `${hallId}-b${String(blockNumber).padStart(2, "0")}`;
          racks.push({ id: rackId, siteId, hallId, nodeTypeId: group.nodeType });

          for (let n = 1; n <= group.nodesPerRack; n++) {
            const nodeId = `${rackId}-n${String(n).padStart(2, "0")}`;
            nodes.push({
              id: nodeId,
              siteId,
              hallId,
              rackId,
              nodeTypeId: group.nodeType,
              domainId: group.nvlinkDomain === "rack" ? rackId : nodeId,
              blockId,
              state: "up",
            });
          }
        }
      }
    }
  }

  return {
    id: doc.id,
    name: doc.name ?? doc.id,
    nodeTypes,
    sites,
    halls,
    racks,
    nodes,
    gpuUtilisation: doc.gpuUtilisation,
  };
}
