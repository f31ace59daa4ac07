// The GPU models any tenant may ask for: those at facility-operated sites. A model found only at a tenant's
// own site serves that tenant alone, so a workload that gives it to everyone makes jobs that can never run.
import type { Facility } from "../model/types.ts";

export function sharedGpuModels(facility: Facility): string[] {
  const shared = new Set(facility.sites.filter((s) => s.operator === "facility").map((s) => s.id));
  const modelOf = new Map(facility.nodeTypes.map((t) => [t.id, t.gpuModel]));
  const models = new Set<string>();
  for (const rack of facility.racks) if (shared.has(rack.siteId)) models.add(modelOf.get(rack.nodeTypeId)!);
  return [...models].sort();
}
