// The running jobs a pass may preempt, priced and ordered once per pass and listed per unit (NVLink
// domain, network block, pool) in two orders: victim order (victim-order.ts), in which the search offers
// them, and work lost per GPU, from which a lower bound on what a unit's plan destroys is read. The
// preemption search then reads a unit's victims already ordered instead of collecting and sorting them
// for every request and every unit it looks at.
//
// Jobs younger than the minimum runtime (the thrash guard) are left out. Within a pass the index only
// shrinks: jobs the pass starts are never victims in it, and a preempted job
// is marked dead (Holding.live) and skipped. So it is built once, at the pass's first preemption search.
import type { Holding } from "./holding.ts";
import type { PassState } from "./pass-state.ts";
import type { Level } from "./request.ts";
import { lostGpuS, victimOrder } from "./victim-order.ts";

/** Ranks of the victims of each unit of one level: ranks[start[u] … start[u + 1]). */
interface UnitLists {
  start: Int32Array;
  /** In victim order (ascending rank). */
  byRank: Int32Array;
  /** By work lost per GPU, cheapest first. */
  byLostPerGpu: Int32Array;
}

export class VictimIndex {
  private builtForPass = -1;
  /** Victims by rank: rank 0 is the cheapest. */
  victims: Holding[] = [];
  /** GPU-seconds each victim would lose, by rank. */
  lost = new Float64Array(0);
  /** Rank by holding handle; a handle reused by a job the pass started is told apart by rankOf. */
  private rankByHandle = new Int32Array(0);
  /** Indexed by level: DOMAIN, BLOCK, SITE (the pool). */
  private lists: UnitLists[] = [];

  constructor(
    private readonly state: PassState,
    private readonly minRuntimeS: number,
  ) {}

  /** Builds the index for the pass under way, unless it already was. */
  ensure(nowMs: number): void {
    const { state } = this;
    if (this.builtForPass === state.passSerial) return;
    this.builtForPass = state.passSerial;
    const startedByMs = nowMs - this.minRuntimeS * 1000;
    const priced = state
      .live()
      // Shares of a GPU are never taken back: preemption frees whole GPUs, which a share never holds.
      .filter(
        (h) =>
          h.tier >= 0 &&
          h.gpuMilli === 0 &&
          h.startedInPass !== state.passSerial &&
          h.startedAtMs <= startedByMs,
      )
      .map((holding) => ({ holding, lostGpuS: lostGpuS(holding, nowMs) }))
      .sort(victimOrder);
    this.victims = priced.map((p) => p.holding);
    this.lost = Float64Array.from(priced, (p) => p.lostGpuS);
    this.rankByHandle = new Int32Array(state.holdings.length).fill(-1);
    this.victims.forEach((h, r) => {
      this.rankByHandle[h.handle] = r;
    });
    const { cf } = state;
    const domainsOf = this.victims.map((h) => [...new Set(h.nodes.map((i) => cf.nodeDomain[i]!))]);
    this.lists = [
      this.listsOf(cf.domainIds.length, domainsOf),
      this.listsOf(
        cf.blockIds.length,
        domainsOf.map((ds) => [...new Set(ds.map((d) => cf.domainBlock[d]!))]),
      ),
      this.listsOf(
        cf.pools.length,
        this.victims.map((h) => [h.pool]),
      ),
    ];
  }

  /** The victim's rank, or -1 for a job the pass may not preempt (started by it, too young, or at an owned site). */
  rankOf(h: Holding): number {
    const r = h.handle < this.rankByHandle.length ? this.rankByHandle[h.handle]! : -1;
    return r >= 0 && this.victims[r] === h ? r : -1;
  }

  /** Per unit, the ranks of the victims with GPUs in it, in both orders. */
  private listsOf(unitCount: number, unitsOf: number[][]): UnitLists {
    const start = new Int32Array(unitCount + 1);
    for (const us of unitsOf) for (const u of us) start[u + 1]!++;
    for (let u = 0; u < unitCount; u++) start[u + 1]! += start[u]!;
    const byRank = new Int32Array(start[unitCount]!);
    const next = start.slice(0, unitCount);
    unitsOf.forEach((us, r) => {
      for (const u of us) byRank[next[u]!++] = r;
    });
    const perGpu = (r: number) => this.lost[r]! / this.victims[r]!.gpus;
    const byLostPerGpu = byRank.slice();
    for (let u = 0; u < unitCount; u++)
      byLostPerGpu.subarray(start[u]!, start[u + 1]!).sort((a, b) => perGpu(a) - perGpu(b) || a - b);
    return { start, byRank, byLostPerGpu };
  }

  /**
   * Victims of a unit of the level, as positions [begin(…), end(…)) into `ranks(…)`: in victim order, or
   * least work lost per GPU first. Dead victims are included: check `live`.
   */
  begin(level: Level, unit: number): number {
    return this.lists[level]!.start[unit]!;
  }

  end(level: Level, unit: number): number {
    return this.lists[level]!.start[unit + 1]!;
  }

  ranks(level: Level, order: "victim" | "lost-per-gpu"): Int32Array {
    const l = this.lists[level]!;
    return order === "victim" ? l.byRank : l.byLostPerGpu;
  }
}
