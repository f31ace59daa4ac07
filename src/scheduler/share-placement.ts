// Where a share of one GPU goes: onto the shared GPU of the pool with the least room that still holds it
// (so shares fill GPUs already shared, and GPUs stay whole for whole-GPU jobs), else onto one GPU chosen
// the way a 1-GPU job's is (the pool's placement rule), which the share then starts sharing.
import type { CompiledPool } from "./compile-facility.ts";
import { OPEN, type View } from "./occupancy.ts";
import type { PassState } from "./pass-state.ts";
import { type Placement, place } from "./placement.ts";
import type { PlacementRequest } from "./request.ts";

export function placeShare(
  state: PassState,
  pool: CompiledPool,
  req: PlacementRequest,
  v: View,
): Placement | null {
  const slot = state.shared.bestFit(
    pool.index,
    req.gpuMilli,
    state.occ.up,
    v === OPEN ? state.occ.reserved : null,
  );
  if (slot >= 0) {
    const node = Math.floor(slot / state.slotsPerNode);
    const gpu = slot % state.slotsPerNode;
    return { pool: pool.index, nodes: [node], masks: [(1 << gpu) >>> 0], gpuMilli: req.gpuMilli };
  }
  const fresh = place(state.occ, pool, req, v);
  return fresh && { ...fresh, gpuMilli: req.gpuMilli };
}
