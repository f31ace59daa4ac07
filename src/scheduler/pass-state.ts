// Who holds which GPUs: occupancy, the holder of every GPU, GPU counts per tier and tenant, and each
// pool's holdings in the order they reach their hard limit (for reservations). A pure pass builds one
// from the running jobs; a scheduler session keeps one across passes. Passes apply their own starts
// and preemptions to it as they go.
import { CommittedWork } from "./committed-work.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { Holding } from "./holding.ts";
import { Occupancy, popcount } from "./occupancy.ts";
import { ReleaseOrder } from "./release-order.ts";
import { SharedGpus } from "./shared-gpus.ts";

/** PassState.owner of a GPU that jobs share: its holders are the shares on it (SharedGpus). */
export const SHARED = -2;

/** a + b, kept to whole thousandths of a GPU: sums of shares must not drift past a limit they reach. */
function addGpus(a: number, b: number): number {
  return Math.round((a + b) * 1000) / 1000;
}

export class PassState {
  readonly occ: Occupancy;
  /** Indexed by handle; a handle is reused once its holding is removed. */
  readonly holdings: Holding[] = [];
  private readonly freeHandles: number[] = [];
  /** Live holdings of each pool by limit end, then job id. */
  readonly releases: ReleaseOrder[];
  readonly holdingByJob = new Map<string, Holding>();
  /** Holding handle per GPU slot (node × maxGpusPerNode + gpu), -1 when free, SHARED when shared. */
  readonly owner: Int32Array;
  readonly shared: SharedGpus;
  readonly slotsPerNode: number;
  readonly tierUsed: number[];
  readonly tenantUsed = new Map<string, number>();
  /** GPUs held per tenant, at every site (tenantUsed leaves out tenant-owned sites), and in all. */
  readonly tenantHeld = new Map<string, number>();
  heldGpus = 0;
  /** Estimated work ahead of the running jobs, per tenant and pool. */
  readonly work: CommittedWork;
  /** Counts passes, so a holding knows whether the pass under way started it. */
  passSerial = 0;
  /** GPUs held per NVLink domain and tier, for a quick look at what preemption could free. */
  readonly domainTierGpus: Int32Array;
  readonly poolTierGpus: Int32Array;
  /** Bumped on every change to holdings, so caches built from them know when to rebuild. */
  version = 0;
  /**
   * Per shared GPU slot: its shares, and the entry that stands for the GPU in its pool's release order,
   * at the hard limit its last share reaches. A reservation search so sees a shared GPU come free when
   * every share on it must have ended, and a large job can hold a reservation over it.
   */
  private readonly sharesOnSlot = new Map<number, { shares: Holding[]; release: Holding }>();

  constructor(
    readonly cf: CompiledFacility,
    readonly tierCount: number,
  ) {
    this.occ = new Occupancy(cf);
    let g = 1;
    for (const p of cf.pools) g = Math.max(g, p.gpusPerNode);
    this.slotsPerNode = g;
    this.owner = new Int32Array(cf.nodeIds.length * g).fill(-1);
    this.shared = new SharedGpus(cf, g);
    this.tierUsed = new Array(tierCount).fill(0);
    this.domainTierGpus = new Int32Array(cf.domainIds.length * tierCount);
    this.poolTierGpus = new Int32Array(cf.pools.length * tierCount);
    this.releases = cf.pools.map(() => new ReleaseOrder());
    this.work = new CommittedWork(cf.pools.length);
  }

  add(h: Omit<Holding, "handle" | "live" | "gpus">): Holding {
    const handle = this.freeHandles.length > 0 ? this.freeHandles.pop()! : this.holdings.length;
    const holding: Holding = {
      handle,
      job: h.job,
      pool: h.pool,
      tier: h.tier,
      nodes: h.nodes,
      masks: h.masks,
      gpus: 0,
      gpuMilli: h.gpuMilli,
      startedAtMs: h.startedAtMs,
      limitEndAtMs: h.limitEndAtMs,
      estimatedEndAtMs: h.estimatedEndAtMs,
      startedInPass: h.startedInPass,
      live: true,
    };
    const T = this.tierCount;
    if (h.gpuMilli > 0) this.addShare(holding);
    else this.takeWhole(holding);
    if (h.tier >= 0) {
      this.tierUsed[h.tier] = addGpus(this.tierUsed[h.tier]!, holding.gpus);
      if (h.gpuMilli === 0) this.poolTierGpus[h.pool * T + h.tier]! += holding.gpus;
      this.tenantUsed.set(h.job.tenantId, addGpus(this.tenantUsed.get(h.job.tenantId) ?? 0, holding.gpus));
    }
    this.tenantHeld.set(h.job.tenantId, addGpus(this.tenantHeld.get(h.job.tenantId) ?? 0, holding.gpus));
    this.heldGpus = addGpus(this.heldGpus, holding.gpus);
    this.work.add(holding);
    this.version++;
    this.holdings[handle] = holding;
    this.holdingByJob.set(h.job.id, holding);
    // A share frees its GPU only when it is the last: reservations never plan on shared GPUs.
    if (h.gpuMilli === 0) this.releases[h.pool]!.add(holding);
    this.occ.touchPool(h.pool);
    return holding;
  }

  /** The one GPU of a share: taken from the occupancy by its first share. */
  private addShare(holding: Holding): void {
    const i = holding.nodes[0]!;
    const m = holding.masks[0]!;
    if (holding.nodes.length !== 1 || popcount(m) !== 1)
      throw new Error(`job ${holding.job.id}: a share of a GPU is held on one GPU of one node`);
    const slot = i * this.slotsPerNode + (31 - Math.clz32(m));
    if (this.shared.milliUsed[slot] === 0) {
      if (this.owner[slot] !== -1 || ((this.occ.free[i]! & m) !== m && this.occ.up[i] === 1))
        throw new Error(`job ${holding.job.id}: GPU on node ${this.cf.nodeIds[i]} is held whole`);
      this.occ.take(i, m);
      this.owner[slot] = SHARED;
    }
    this.shared.add(slot, holding.gpuMilli);
    holding.gpus = holding.gpuMilli / 1000;
    const on = this.sharesOnSlot.get(slot);
    if (on === undefined) {
      const release: Holding = {
        ...holding,
        handle: -1,
        // Ordered after any job ending at the same instant (ids never start with a NUL).
        job: { ...holding.job, id: `\u0000shared GPU ${slot}` },
        gpus: 0,
        gpuMilli: 0,
      };
      this.sharesOnSlot.set(slot, { shares: [holding], release });
      this.releases[holding.pool]!.add(release);
    } else {
      on.shares.push(holding);
      this.moveRelease(holding.pool, on);
    }
  }

  /** Puts a shared GPU's release entry at the latest hard limit of the shares on it. */
  private moveRelease(pool: number, on: { shares: Holding[]; release: Holding }): void {
    let latest = Number.NEGATIVE_INFINITY;
    for (const s of on.shares) if (s.limitEndAtMs > latest) latest = s.limitEndAtMs;
    if (latest === on.release.limitEndAtMs) return;
    this.releases[pool]!.remove(on.release);
    on.release.limitEndAtMs = latest;
    this.releases[pool]!.add(on.release);
  }

  private removeShare(holding: Holding, slot: number): void {
    const on = this.sharesOnSlot.get(slot)!;
    on.shares.splice(on.shares.indexOf(holding), 1);
    if (on.shares.length > 0) this.moveRelease(holding.pool, on);
    else {
      this.releases[holding.pool]!.remove(on.release);
      this.sharesOnSlot.delete(slot);
    }
  }

  private takeWhole(holding: Holding): void {
    const T = this.tierCount;
    const h = holding;
    for (let k = 0; k < h.nodes.length; k++) {
      const i = h.nodes[k]!;
      const m = h.masks[k]!;
      if ((this.occ.free[i]! & m) !== m && this.occ.up[i] === 1) {
        throw new Error(`job ${h.job.id}: GPUs on node ${this.cf.nodeIds[i]} are already held`);
      }
      this.occ.take(i, m);
      const c = popcount(m);
      holding.gpus += c;
      for (let bit = 0; bit < this.slotsPerNode; bit++) {
        if (m & (1 << bit)) {
          const slot = i * this.slotsPerNode + bit;
          if (this.owner[slot] !== -1)
            throw new Error(`job ${h.job.id}: GPU ${bit} on node ${this.cf.nodeIds[i]} is already held`);
          this.owner[slot] = holding.handle;
        }
      }
      if (h.tier >= 0) this.domainTierGpus[this.cf.nodeDomain[i]! * T + h.tier]! += c;
    }
  }

  remove(holding: Holding): void {
    const T = this.tierCount;
    if (holding.gpuMilli > 0) {
      const i = holding.nodes[0]!;
      const m = holding.masks[0]!;
      const slot = i * this.slotsPerNode + (31 - Math.clz32(m));
      this.removeShare(holding, slot);
      if (this.shared.remove(slot, holding.gpuMilli)) {
        this.occ.give(i, m);
        this.owner[slot] = -1;
      }
    }
    for (let k = 0; k < holding.nodes.length && holding.gpuMilli === 0; k++) {
      const i = holding.nodes[k]!;
      const m = holding.masks[k]!;
      this.occ.give(i, m);
      for (let bit = 0; bit < this.slotsPerNode; bit++)
        if (m & (1 << bit)) this.owner[i * this.slotsPerNode + bit] = -1;
      if (holding.tier >= 0) this.domainTierGpus[this.cf.nodeDomain[i]! * T + holding.tier]! -= popcount(m);
    }
    if (holding.tier >= 0) {
      this.tierUsed[holding.tier] = addGpus(this.tierUsed[holding.tier]!, -holding.gpus);
      if (holding.gpuMilli === 0) this.poolTierGpus[holding.pool * T + holding.tier]! -= holding.gpus;
      this.tenantUsed.set(
        holding.job.tenantId,
        addGpus(this.tenantUsed.get(holding.job.tenantId) ?? 0, -holding.gpus),
      );
    }
    this.tenantHeld.set(
      holding.job.tenantId,
      addGpus(this.tenantHeld.get(holding.job.tenantId)!, -holding.gpus),
    );
    this.heldGpus = addGpus(this.heldGpus, -holding.gpus);
    this.work.remove(holding);
    this.version++;
    holding.live = false;
    this.holdingByJob.delete(holding.job.id);
    this.freeHandles.push(holding.handle);
    if (holding.gpuMilli === 0) this.releases[holding.pool]!.remove(holding);
    this.occ.touchPool(holding.pool);
  }

  /** Live holdings, in handle order. */
  live(): Holding[] {
    return this.holdings.filter((h) => h.live);
  }
}
