// Which GPU model a job that may use several should take first. Within a site, pools of scarce models
// are kept for the jobs that can run only there: every admitted job adds its GPUs to the demand on each
// pool it may use, shared evenly among them, and a job with a choice tries the pools with the least demand
// per GPU first (the larger pool first while demand is equal). A model that constrained jobs need gathers
// demand they cannot place elsewhere, so jobs that could run anywhere go to the others; with no
// constraints, the largest pool gets the least demand per GPU and small pools stay free. Sites keep the
// facility's order: which site runs a job is the operator's choice (energy, price, law), not a matter of
// fragmentation.
import type { Requests } from "./candidate.ts";
import type { CompiledFacility } from "./compile-facility.ts";
import type { PoolRequest } from "./reservation.ts";

/**
 * The ranking is looked at after each of the first admissions, then every this many: a ranking that
 * changed reorders every group of jobs, so it must not be redone on every arrival of a long run.
 */
const RECHECK_EVERY = 64;

export class PoolPressure {
  private readonly demandGpus: Float64Array;
  /** Each pool's place among its site's pools: lower is tried first. */
  private readonly rank: Int32Array;
  private readonly groups: Requests[] = [];
  private admitted = 0;

  constructor(private readonly cf: CompiledFacility) {
    this.demandGpus = new Float64Array(cf.pools.length);
    this.rank = new Int32Array(cf.pools.length);
    this.rerank();
  }

  /** A new group of jobs with the same requests: its pools in the current order from now on. */
  addGroup(requests: Requests): void {
    this.groups.push(requests);
    this.order(requests);
  }

  /** Counts an admitted job's demand; reorders every group's pools when the ranking changed. */
  count(requests: Requests, gpus: number): void {
    const pools = requests.facility;
    if (pools.length === 0) return;
    for (const { pool } of pools) this.demandGpus[pool.index]! += gpus / pools.length;
    this.admitted++;
    if (this.admitted > RECHECK_EVERY && this.admitted % RECHECK_EVERY !== 0) return;
    if (this.rerank()) for (const g of this.groups) this.order(g);
  }

  /** Demand per GPU of a pool. */
  pressure(pool: number): number {
    const gpus = this.cf.pools[pool]!.gpuCount;
    return gpus === 0 ? Number.POSITIVE_INFINITY : this.demandGpus[pool]! / gpus;
  }

  /** Ranks each site's pools by pressure, then size (larger first), then facility order; true if changed. */
  private rerank(): boolean {
    const bySite = new Map<number, number[]>();
    for (const pool of this.cf.pools) {
      const list = bySite.get(pool.siteIndex);
      if (list) list.push(pool.index);
      else bySite.set(pool.siteIndex, [pool.index]);
    }
    let changed = false;
    for (const pools of bySite.values()) {
      pools.sort(
        (a, b) =>
          this.pressure(a) - this.pressure(b) ||
          this.cf.pools[b]!.gpuCount - this.cf.pools[a]!.gpuCount ||
          a - b,
      );
      pools.forEach((p, k) => {
        if (this.rank[p] !== k) changed = true;
        this.rank[p] = k;
      });
    }
    return changed;
  }

  /**
   * Orders the group's facility pools in place — the arrays are shared, and keyed on by identity — by
   * site in facility order (a site's place is that of its first pool), then by rank; `all` follows, after
   * the tenant's own pools.
   */
  private order(requests: Requests): void {
    const { facility, all, own } = requests;
    if (facility.length < 2) return;
    const siteAt = new Map<number, number>();
    for (const { pool } of facility)
      siteAt.set(pool.siteIndex, Math.min(siteAt.get(pool.siteIndex) ?? pool.index, pool.index));
    const sorted = [...facility].sort(
      (a: PoolRequest, b: PoolRequest) =>
        siteAt.get(a.pool.siteIndex)! - siteAt.get(b.pool.siteIndex)! ||
        this.rank[a.pool.index]! - this.rank[b.pool.index]!,
    );
    for (let k = 0; k < sorted.length; k++) {
      facility[k] = sorted[k]!;
      all[own.length + k] = sorted[k]!;
    }
  }
}
