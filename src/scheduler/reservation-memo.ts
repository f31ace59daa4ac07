// The answers of the pass before to reservation searches, for a pool that has not changed since. A
// control loop runs a pass on every arrival and end anywhere in the facility; a pool where nothing
// started or ended in between — a tenant's own cluster, a GPU model few jobs use — gets the same
// searches and would find the same reservations. A search depends on the pool's free GPUs, nodes up and
// jobs (Occupancy.poolChanges counts changes to them), on the reservations made before it in this pass
// in the same pool, and on the time. So an answer is reused when the pool's change count is the one it
// was found at, the reservations made so far in the pool are those the pass before had made at that
// point, and the time has not passed the answer (see `lookup`). Answers are kept across passes that did
// not search the pool as far.
import type { Placement } from "./placement.ts";
import type { PlacementRequest } from "./request.ts";
import type { ReservationPlan, ReservedSpan } from "./reservation-plan.ts";

interface Answer {
  changes: number;
  /** The earliest start found, or null: none before `beforeMs` (Infinity: none at any time). */
  atMs: number | null;
  placement: Placement | null;
  beforeMs: number;
}

interface PoolLog {
  /** Reservations added in the pool, in order, and the pool's change count when each was. */
  adds: ReservedSpan[];
  addChanges: number[];
  /** Per number of reservations added before it, the answers by request. */
  answers: Map<PlacementRequest, Answer>[];
}

const newLog = (): PoolLog => ({ adds: [], addChanges: [], answers: [] });

export class ReservationMemo {
  private previous: PoolLog[];
  private current: PoolLog[];
  /** Per pool: the reservations added in this pass so far are the first ones of the pass before. */
  private readonly same: Uint8Array;

  constructor(private readonly pools: number) {
    this.previous = Array.from({ length: pools }, newLog);
    this.current = Array.from({ length: pools }, newLog);
    this.same = new Uint8Array(pools);
  }

  /**
   * A new pass. Per pool, this pass's answers join those kept from before when its reservations were the
   * first ones of the log kept (a quick pass that stopped early, or one that never reached the pool,
   * forgets nothing); otherwise this pass's log replaces it.
   */
  reset(): void {
    for (let p = 0; p < this.pools; p++) {
      const now = this.current[p]!;
      const kept = this.previous[p]!;
      if (!startsWith(kept, now)) continue;
      now.answers.forEach((byReq, k) => {
        const into = kept.answers[k];
        if (into) for (const [req, answer] of byReq) into.set(req, answer);
        else kept.answers[k] = byReq;
      });
      this.current[p] = kept;
    }
    this.previous = this.current;
    this.current = Array.from({ length: this.pools }, newLog);
    this.same.fill(1);
  }

  /**
   * The answer of the pass before, if it holds now: a plan, null (none before `beforeMs`), or undefined
   * when it is not known. A start found at atMs still holds if now is not past it (a later now only merges
   * releases that did not fit then into the first step); none found before a bound still holds for a
   * bound no later and a now no later than that bound.
   */
  lookup(
    pool: number,
    req: PlacementRequest,
    changes: number,
    nowMs: number,
    beforeMs: number,
  ): ReservationPlan | null | undefined {
    if (this.same[pool] !== 1) return undefined;
    const k = this.current[pool]!.adds.length;
    const a = this.previous[pool]!.answers[k]?.get(req);
    if (a === undefined || a.changes !== changes) return undefined;
    if (a.atMs !== null) {
      if (a.atMs < nowMs) return undefined;
      return a.atMs >= beforeMs ? null : { atMs: a.atMs, placement: a.placement! };
    }
    if (a.beforeMs === Number.POSITIVE_INFINITY) return null;
    return beforeMs <= a.beforeMs && nowMs <= a.beforeMs ? null : undefined;
  }

  record(
    pool: number,
    req: PlacementRequest,
    changes: number,
    beforeMs: number,
    plan: ReservationPlan | null,
  ): void {
    const log = this.current[pool]!;
    const k = log.adds.length;
    let byReq = log.answers[k];
    if (!byReq) {
      byReq = new Map();
      log.answers[k] = byReq;
    }
    byReq.set(req, {
      changes,
      atMs: plan === null ? null : plan.atMs,
      placement: plan === null ? null : plan.placement,
      beforeMs,
    });
  }

  /**
   * A reservation added in the pool: answers of the pass before stay usable only if it made the same one
   * on the same pool. A pool that changed since reuses nothing, so its spans are not compared.
   */
  recordAdd(span: ReservedSpan, changes: number): void {
    const p = span.pool;
    const log = this.current[p]!;
    const k = log.adds.length;
    if (this.same[p] === 1) {
      const kept = this.previous[p]!;
      const before = kept.adds[k];
      if (before === undefined || kept.addChanges[k] !== changes || !sameSpan(before, span)) this.same[p] = 0;
    }
    log.adds.push(span);
    log.addChanges.push(changes);
  }
}

/** Whether the log `kept` begins with the reservations of `prefix`, made at the same change counts. */
function startsWith(kept: PoolLog, prefix: PoolLog): boolean {
  if (prefix.adds.length > kept.adds.length) return false;
  for (let k = 0; k < prefix.adds.length; k++)
    if (kept.addChanges[k] !== prefix.addChanges[k] || !sameSpan(kept.adds[k]!, prefix.adds[k]!))
      return false;
  return true;
}

function sameSpan(a: ReservedSpan, b: ReservedSpan): boolean {
  if (a.startAtMs !== b.startAtMs || a.endAtMs !== b.endAtMs) return false;
  // A reused answer brings the very arrays it was found with.
  if (a.nodes === b.nodes && a.placedMasks === b.placedMasks) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  for (let k = 0; k < a.nodes.length; k++)
    if (a.nodes[k] !== b.nodes[k] || a.placedMasks[k] !== b.placedMasks[k]) return false;
  return true;
}
