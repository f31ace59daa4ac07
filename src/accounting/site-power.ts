// A site's electrical shape per GPU: what one GPU slot draws idle (its share of the node's CPUs, memory,
// NICs and fans plus the GPU at idle) and how much more it draws at full utilisation. Schedules say how many
// GPUs a run held at a site, not on which node type, so a site with several node types is described by
// GPU-weighted averages: exact for a homogeneous site, and exact in total for a mixed one whose runs spread
// over node types in proportion to their GPUs (docs/energy.md).
import type { Facility } from "../model/types.ts";

export interface SitePower {
  siteId: string;
  /** GPUs on nodes that are not down. */
  gpus: number;
  /** Node overhead (CPUs, memory, NICs, fans) per GPU; nodes draw it whether or not their GPUs are busy. */
  overheadPerGpuW: number;
  idlePerGpuW: number;
  /** max − idle per GPU: what full utilisation adds. */
  dynamicPerGpuW: number;
  /** Σ over nodes of overhead + GPUs × max: the installed IT power demand the hardware implies. */
  fullLoadW: number;
  /** Node types at the site; one = the per-GPU figures are exact. */
  nodeTypeIds: string[];
}

export function sitePowers(facility: Facility): Map<string, SitePower> {
  const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  const acc = new Map<
    string,
    { gpus: number; overheadW: number; idleW: number; maxW: number; types: Set<string> }
  >();
  for (const site of facility.sites)
    acc.set(site.id, { gpus: 0, overheadW: 0, idleW: 0, maxW: 0, types: new Set() });
  for (const node of facility.nodes) {
    if (node.state === "down") continue;
    const type = types.get(node.nodeTypeId);
    const a = acc.get(node.siteId);
    if (type === undefined || a === undefined)
      throw new Error(`node ${node.id} refers to an unknown type or site`);
    a.gpus += type.gpusPerNode;
    a.overheadW += type.nodeOverheadPowerW;
    a.idleW += type.gpusPerNode * type.gpuIdlePowerW;
    a.maxW += type.gpusPerNode * type.gpuMaxPowerW;
    a.types.add(type.id);
  }
  const out = new Map<string, SitePower>();
  for (const [siteId, a] of acc) {
    const per = (w: number) => (a.gpus === 0 ? 0 : w / a.gpus);
    out.set(siteId, {
      siteId,
      gpus: a.gpus,
      overheadPerGpuW: per(a.overheadW),
      idlePerGpuW: per(a.idleW),
      dynamicPerGpuW: per(a.maxW - a.idleW),
      fullLoadW: a.overheadW + a.maxW,
      nodeTypeIds: [...a.types].sort(),
    });
  }
  return out;
}

/** Power of one busy GPU slot at utilisation u. */
export function busyGpuPowerW(power: SitePower, utilisation: number): number {
  return power.overheadPerGpuW + power.idlePerGpuW + utilisation * power.dynamicPerGpuW;
}

/** Power of one idle GPU slot on a powered node. */
export function idleGpuPowerW(power: SitePower): number {
  return power.overheadPerGpuW + power.idlePerGpuW;
}
