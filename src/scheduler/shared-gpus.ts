// GPUs that jobs share, each holding a share in thousandths. A shared GPU is taken in the occupancy as a
// whole (Occupancy.take) from its first share until its last share ends, so no whole-GPU job, placement
// or reservation ever sees it free; here is how much of it is in use, and which shared GPUs of each pool
// still have room.

import { GPU_MILLI } from "../model/job-shape.ts";
import type { CompiledFacility } from "./compile-facility.ts";

export class SharedGpus {
  /** Thousandths in use per GPU slot (node × slotsPerNode + GPU); 0 for a GPU nobody shares. */
  readonly milliUsed: Uint16Array;
  /** Per pool, its shared GPU slots. */
  private readonly byPool: Set<number>[];

  constructor(
    private readonly cf: CompiledFacility,
    private readonly slotsPerNode: number,
  ) {
    this.milliUsed = new Uint16Array(cf.nodeIds.length * slotsPerNode);
    this.byPool = cf.pools.map(() => new Set());
  }

  /** Adds a share to a slot; returns true when the GPU was not shared before (the caller takes it). */
  add(slot: number, gpuMilli: number): boolean {
    const before = this.milliUsed[slot]!;
    if (before + gpuMilli > GPU_MILLI)
      throw new Error(`GPU slot ${slot}: ${before} + ${gpuMilli} thousandths is more than one GPU`);
    this.milliUsed[slot] = before + gpuMilli;
    if (before === 0) this.byPool[this.poolOf(slot)]!.add(slot);
    return before === 0;
  }

  /** Removes a share; returns true when the GPU is no longer shared (the caller gives it back). */
  remove(slot: number, gpuMilli: number): boolean {
    const after = this.milliUsed[slot]! - gpuMilli;
    this.milliUsed[slot] = after;
    if (after === 0) this.byPool[this.poolOf(slot)]!.delete(slot);
    return after === 0;
  }

  /** How many GPUs of the pool are shared now. */
  count(pool: number): number {
    return this.byPool[pool]!.size;
  }

  /**
   * The shared GPU of the pool, on a node that is up, with the least room that still holds `gpuMilli`
   * (best fit: shares fill GPUs already shared before they take a new one), ties to the lowest slot; -1
   * when none has room. With `reserved` (the job ends after a reservation in the pool begins), GPUs a
   * reservation holds are left out.
   */
  bestFit(pool: number, gpuMilli: number, up: Uint8Array, reserved: Uint32Array | null): number {
    let best = -1;
    let bestRoom = GPU_MILLI + 1;
    for (const slot of this.byPool[pool]!) {
      const room = GPU_MILLI - this.milliUsed[slot]!;
      const node = Math.floor(slot / this.slotsPerNode);
      if (room < gpuMilli || up[node] !== 1) continue;
      // A GPU a reservation takes over when its shares end gets no share that would outlast them.
      if (reserved !== null && (reserved[node]! >>> (slot % this.slotsPerNode)) & 1) continue;
      if (room < bestRoom || (room === bestRoom && slot < best)) {
        best = slot;
        bestRoom = room;
      }
    }
    return best;
  }

  private poolOf(slot: number): number {
    return this.cf.nodePool[Math.floor(slot / this.slotsPerNode)]!;
  }
}
