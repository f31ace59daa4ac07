// The GPUs a preempting job could use on each node of one unit (NVLink domain, block or site) while the
// preemption search adds and spares victims, with the two counts fitsNodes (placement.ts) takes kept up
// to date. Adding or sparing a victim costs its own nodes, not a recount of the unit: in a block of 576
// nodes that is the difference between a few operations and a few thousand per step.
import type { Holding } from "./holding.ts";
import { type Occupancy, popcount } from "./occupancy.ts";
import type { PlacementRequest } from "./request.ts";

export class UnitFit {
  /** Usable GPUs per node; valid for the nodes of the current unit. */
  readonly masks: Uint32Array;
  /** stamp[i] === generation marks node i as in the current unit. */
  private readonly stamp: Uint32Array;
  private generation = 0;
  private full = 0;
  private req: PlacementRequest = { whole: 0, partial: 0, partialGpus: 0, gpus: 0, level: 0, gpuMilli: 0 };
  /** As fitsNodes counts them: wholly free nodes, and nodes free enough only for a partial part. */
  private whole = 0;
  private partialOnly = 0;

  constructor(private readonly occ: Occupancy) {
    this.masks = new Uint32Array(occ.cf.nodeIds.length);
    this.stamp = new Uint32Array(occ.cf.nodeIds.length);
  }

  /** Starts on a unit: every node's free GPUs less those reserved, and no victim. */
  reset(nodes: ArrayLike<number>, full: number, req: PlacementRequest): void {
    // Stamps are 32-bit: before the count would wrap, start them over.
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    this.generation++;
    this.full = full;
    this.req = req;
    this.whole = 0;
    this.partialOnly = 0;
    const { free, reserved } = this.occ;
    for (let k = 0; k < nodes.length; k++) {
      const i = nodes[k]!;
      this.stamp[i] = this.generation;
      const m = (free[i]! & ~reserved[i]!) >>> 0;
      this.masks[i] = m;
      this.count(m, 1);
    }
  }

  /** Adds a victim's GPUs in the unit (on up nodes, less reserved ones). */
  add(h: Holding): void {
    this.apply(h, true);
  }

  /** Takes a victim added before out again. Victims hold disjoint GPUs, so its bits are its own. */
  spare(h: Holding): void {
    this.apply(h, false);
  }

  /** Whether the unit, as it stands, holds the request (fitsNodes on the current masks). */
  fits(): boolean {
    const { req } = this;
    return this.whole >= req.whole && this.partialOnly + (this.whole - req.whole) >= req.partial;
  }

  private apply(h: Holding, adding: boolean): void {
    const { reserved, up } = this.occ;
    for (let k = 0; k < h.nodes.length; k++) {
      const i = h.nodes[k]!;
      if (this.stamp[i] !== this.generation || up[i] !== 1) continue;
      const bits = (h.masks[k]! & ~reserved[i]!) >>> 0;
      const before = this.masks[i]!;
      const after = (adding ? before | bits : before & ~bits) >>> 0;
      if (after === before) continue;
      this.count(before, -1);
      this.count(after, 1);
      this.masks[i] = after;
    }
  }

  private count(m: number, sign: number): void {
    if (m === this.full) this.whole += sign;
    else if (this.req.partial > 0 && popcount(m) >= this.req.partialGpus) this.partialOnly += sign;
  }
}
