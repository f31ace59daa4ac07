// The order a pass examines queued jobs in: two phases (guaranteed, then borrowing), each over the tiers
// in priority order and, inside a tier, the tenants in fair-share order, each tenant's jobs in its own
// order. A quick pass stops a phase after `maxJobsPerPhase` jobs (in the guaranteed phase, per tier), and
// skips the borrowing phase when it could not look at every job of the guaranteed phase.
//
// Most of a long queue is often held back by a limit alone: a tenant at its quota, a tier at its borrowing
// limit. A pass that need not explain its waiting jobs asks the pass how large a job of this tenant could
// still get past those limits (`lookAtMost`), and steps over each run of larger jobs in one move: they are
// counted as examined, exactly as if each had been looked at, and in the guaranteed phase the ones that
// would borrow are handed on to the borrowing phase as ranges of positions. Which jobs start, are
// preempted or get reservations is the same as when each job is looked at in turn (property-tested).

import type { Candidate } from "./candidate.ts";
import { FairOrder } from "./fair-order.ts";
import type { TenantQueue } from "./tenant-queue.ts";

export type Phase = "guaranteed" | "borrowing";

export interface WalkHooks {
  /** Decides one job; in the guaranteed phase, false means it would borrow and waits for the next phase. */
  consider(c: Candidate, phase: Phase): boolean;
  /**
   * Jobs of this tenant and tier with a larger size key would only wait for a limit now, or in the
   * guaranteed phase be handed on, from position `pos` of the tenant's queue on; Infinity to look at
   * every job.
   */
  lookAtMost(phase: Phase, tier: number, tenantId: string, pos: number, queue: TenantQueue): number;
  /** Jobs of the tier with more GPUs than this would borrow. */
  guaranteeRoom(tier: number): number;
}

/**
 * Where a walk is in one tenant's queue: the position ranges to walk, as [from, to) pairs in
 * ranges[0 … end). Arrays are reused from pass to pass (emptying one by its length would drop its storage).
 */
interface TenantWalk {
  readonly tenantId: string;
  /** The tenant's position in the policy, where its fair-share key is. */
  readonly tenantIndex: number;
  readonly queue: TenantQueue;
  readonly ranges: number[];
  end: number;
  /** Index into `ranges` of the current range's start; the walk is at `pos` inside it. */
  k: number;
  pos: number;
}

const hasMore = (w: TenantWalk) => w.k < w.end;

function advance(w: TenantWalk, n: number): void {
  w.pos += n;
  if (w.pos >= w.ranges[w.k + 1]!) {
    w.k += 2;
    if (w.k < w.end) w.pos = w.ranges[w.k]!;
  }
}

function restart(w: TenantWalk): void {
  w.k = 0;
  w.pos = w.end > 0 ? w.ranges[0]! : 0;
}

function addRange(w: TenantWalk, from: number, to: number): void {
  const r = w.ranges;
  if (w.end > 0 && r[w.end - 1] === from) r[w.end - 1] = to;
  else {
    r[w.end] = from;
    r[w.end + 1] = to;
    w.end += 2;
  }
}

/**
 * Walks both phases of a pass over a queue. Kept with the queue between passes, so a pass over a handful
 * of tenants allocates next to nothing however often it runs.
 */
export class PhaseWalker {
  /** Per tenant queue, its walk in each phase. */
  private readonly walks = new Map<TenantQueue, { guaranteed: TenantWalk; borrowing: TenantWalk }>();
  private readonly tierWalks: TenantWalk[] = [];
  private readonly order = new FairOrder<TenantWalk>(hasMore);

  constructor(private readonly tenantIndex: Map<string, number>) {}

  /** `byTier`: per tier, the tenants' queues. Returns whether every job was examined. */
  walk(
    byTier: readonly (readonly TenantQueue[])[],
    keys: Float64Array,
    maxJobsPerPhase: number,
    hooks: WalkHooks,
  ): boolean {
    for (const queues of byTier)
      for (const queue of queues) {
        const pair = this.walksOf(queue);
        pair.guaranteed.end = 0;
        if (queue.length > 0) addRange(pair.guaranteed, 0, queue.length);
        pair.borrowing.end = 0;
      }
    let complete = true;
    for (let p = 0; p < 2; p++) {
      const phase: Phase = p === 0 ? "guaranteed" : "borrowing";
      let left = maxJobsPerPhase;
      for (let t = 0; t < byTier.length; t++) {
        // In the guaranteed phase each tier gets its own look: a long first tier must not use up a quick
        // pass before the next tier's jobs within its guarantee are seen.
        if (phase === "guaranteed") left = maxJobsPerPhase;
        const queues = byTier[t]!;
        for (let q = 0; q < queues.length; q++) {
          const w = this.walksOf(queues[q]!)[phase];
          restart(w);
          this.tierWalks[q] = w;
        }
        this.order.reset(this.tierWalks, queues.length, keys);
        left = this.walkTier(phase, t, left, hooks);
        if (left < 0) {
          complete = false;
          if (phase === "borrowing") break;
        }
      }
      // A quick pass that could not look at every job within a guarantee borrows nothing: a job it did
      // not see may fit, and borrowing would take its room (the next full pass borrows).
      if (!complete) break;
    }
    return complete;
  }

  private walksOf(queue: TenantQueue) {
    let pair = this.walks.get(queue);
    if (!pair) {
      const tenantIndex = this.tenantIndex.get(queue.tenantId)!;
      const walk = (): TenantWalk => ({
        tenantId: queue.tenantId,
        tenantIndex,
        queue,
        ranges: [],
        end: 0,
        k: 0,
        pos: 0,
      });
      pair = { guaranteed: walk(), borrowing: walk() };
      this.walks.set(queue, pair);
    }
    return pair;
  }

  /** Walks one tier of a phase with `left` jobs still to examine; returns those left, or −1 if cut short. */
  private walkTier(phase: Phase, t: number, left: number, hooks: WalkHooks): number {
    const order = this.order;
    for (let w = order.next(); w; w = order.next()) {
      if (left === 0) return -1;
      const atMost = hooks.lookAtMost(phase, t, w.tenantId, w.pos, w.queue);
      const next =
        atMost === Number.POSITIVE_INFINITY ? w.pos : w.queue.firstAtMost(w.pos, w.ranges[w.k + 1]!, atMost);
      if (next > w.pos) {
        // A run of jobs only a limit holds back: examined without being looked at one by one.
        const n = Math.min(next - w.pos, left);
        if (phase === "guaranteed") this.handOn(w, w.pos, w.pos + n, hooks.guaranteeRoom(t));
        left -= n;
        advance(w, n);
        continue;
      }
      left--;
      const pos = w.pos;
      advance(w, 1);
      if (!hooks.consider(w.queue.at(pos), phase)) this.handOnRange(w, pos, pos + 1);
    }
    return left;
  }

  /** Hands the jobs of positions [from, to) larger than `room` on to the borrowing phase. */
  private handOn(w: TenantWalk, from: number, to: number, room: number): void {
    // The whole queue's bounds settle most cases without looking into the range.
    if (w.queue.maxKey() <= room) return;
    if (w.queue.minKey() > room || w.queue.minKeyIn(from, to) > room) {
      this.handOnRange(w, from, to);
      return;
    }
    if (w.queue.maxKeyIn(from, to) <= room) return;
    // Some would borrow and some would not: hand them on one by one.
    for (let pos = from; pos < to; pos++)
      if (w.queue.at(pos).sizeKey > room) this.handOnRange(w, pos, pos + 1);
  }

  private handOnRange(w: TenantWalk, from: number, to: number): void {
    addRange(this.walksOf(w.queue).borrowing, from, to);
  }
}
