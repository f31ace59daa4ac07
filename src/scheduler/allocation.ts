// Converts an index-based placement into the Allocation that leaves the scheduler.
import type { Allocation } from "../model/types.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { Placement } from "./placement.ts";

export function toAllocation(cf: CompiledFacility, placement: Placement): Allocation {
  const pool = cf.pools[placement.pool]!;
  return {
    siteId: cf.sites[pool.siteIndex]!.id,
    nodes: placement.nodes.map((i, k) => {
      const gpus: number[] = [];
      const m = placement.masks[k]!;
      for (let g = 0; g < 32; g++) if (m & (1 << g)) gpus.push(g);
      const { gpuMilli } = placement;
      return gpuMilli ? { nodeId: cf.nodeIds[i]!, gpus, gpuMilli } : { nodeId: cf.nodeIds[i]!, gpus };
    }),
  };
}
