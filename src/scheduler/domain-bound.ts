// A lower bound on the work a preemption plan destroys in one NVLink domain, from what it would cost to
// free GPUs on each node. A GPU slot costs nothing when free and cannot be had when reserved, on a node
// that is down, or held by a job the pass may not preempt; otherwise its holder must go. Two bounds, and
// the plan destroys at least the larger:
//  - shares: a victim's lost work is shared out over its GPUs. A plan that makes `whole` nodes wholly free
//    and `partial` more nodes free enough destroys at least the `whole` cheapest node-clearing shares plus
//    the `partial` cheapest shares of freeing `partialGpus` on a node (distinct nodes, distinct shares);
//  - whole victims: it clears at least one node (when whole > 0) and frees `partialGpus` on at least one
//    more (when partial > 0), and each of those costs at least the cheapest set of that node's holders,
//    each paid in full, that frees enough there.
// The free-GPU count of a domain cannot see that four 1-GPU jobs, or one long gang, stand between a
// whole-node request and a node; these bounds do, which lets the search pass over most domains without
// planning them.
//
// A holder may be preempted when its tier holds more than its guarantee or its tenant more than a
// borrowable quota, as the pass stands when the search begins: a plan only ever shrinks that set, so the
// bound stays a lower bound. Each domain's figures are kept until the domain changes
// (Occupancy.domainChanges), the set of borrowing tiers or of tenants above their quota changes, or a new
// pass prices the victims anew.
import type { PassState } from "./pass-state.ts";
import type { PlacementRequest } from "./request.ts";
import type { VictimIndex } from "./victim-index.ts";

/** Figures of one domain of n nodes with g GPUs each. */
interface DomainFigures {
  pass: number;
  changes: number;
  borrowingTiers: number;
  aboveQuota: number;
  n: number;
  g: number;
  /**
   * At [q × (n + 1) + k], q = 1 … g, k = 0 … n: the sum of the k cheapest shares of having q usable GPUs
   * on a node (q = g: clearing it).
   */
  shares: Float64Array;
  /** At [q], q = 1 … g: the least any node's holders, each paid in full, cost to leave q GPUs usable. */
  wholeVictims: Float64Array;
}

const NONE = -1;

export class DomainBound {
  private readonly figures: (DomainFigures | undefined)[] = [];
  /** Scratch for one node: its slots' shares, its holders' losses and GPUs there. */
  private readonly slotShares: Float64Array;
  private readonly holderRank: Int32Array;
  private readonly holderGpus: Int32Array;
  private freeSlots = 0;
  /** Scratch for one domain: per q, each node's cost of q usable GPUs. */
  private perNode = new Float64Array(0);

  constructor(
    private readonly state: PassState,
    private readonly index: VictimIndex,
    /** Each tenant with a borrowable quota, by its bit in `aboveQuota`. */
    private readonly quotaTenants: ReadonlyMap<string, number>,
  ) {
    this.slotShares = new Float64Array(state.slotsPerNode);
    this.holderRank = new Int32Array(state.slotsPerNode);
    this.holderGpus = new Int32Array(state.slotsPerNode);
  }

  /**
   * The least a plan in domain d can destroy; Infinity when no plan can free what the request needs.
   * `borrowingTiers` has bit t set for each tier above its guarantee; `aboveQuota` bit k for the k-th
   * tenant of `quotaTenants` (the tenants with a borrowable quota) when it holds more than that quota.
   */
  bound(d: number, req: PlacementRequest, borrowingTiers: number, aboveQuota: number): number {
    const f = this.figuresOf(d, borrowingTiers, aboveQuota);
    const { n, g } = f;
    if (req.whole + req.partial > n) return Number.POSITIVE_INFINITY;
    let shares = req.whole > 0 ? f.shares[g * (n + 1) + req.whole]! : 0;
    if (req.partial > 0) shares += f.shares[req.partialGpus * (n + 1) + req.partial]!;
    const clearOne = req.whole > 0 ? f.wholeVictims[g]! : 0;
    const freeOne = req.partial > 0 ? f.wholeVictims[req.partialGpus]! : 0;
    return Math.max(shares, clearOne, freeOne);
  }

  private figuresOf(d: number, borrowingTiers: number, aboveQuota: number): DomainFigures {
    const { state } = this;
    const changes = state.occ.domainChanges[d]!;
    let f = this.figures[d];
    if (
      f &&
      f.pass === state.passSerial &&
      f.changes === changes &&
      f.borrowingTiers === borrowingTiers &&
      f.aboveQuota === aboveQuota
    )
      return f;
    const nodes = state.cf.domainNodes[d]!;
    const n = nodes.length;
    const g = state.cf.nodeGpus[nodes[0]!]!;
    if (!f) {
      f = {
        pass: 0,
        changes: 0,
        borrowingTiers: 0,
        aboveQuota: 0,
        n,
        g,
        shares: new Float64Array((g + 1) * (n + 1)),
        wholeVictims: new Float64Array(g + 1),
      };
      this.figures[d] = f;
    }
    f.pass = state.passSerial;
    f.changes = changes;
    f.borrowingTiers = borrowingTiers;
    f.aboveQuota = aboveQuota;
    if (this.perNode.length < (g + 1) * n) this.perNode = new Float64Array((g + 1) * n);
    const perNode = this.perNode;
    f.wholeVictims.fill(Number.POSITIVE_INFINITY);
    for (let k = 0; k < n; k++) {
      const holders = this.readNode(nodes[k]!, g, borrowingTiers, aboveQuota);
      // The cost in shares of q usable GPUs is the sum of the q cheapest slots (free ones cost 0).
      let sum = 0;
      for (let q = 1; q <= g; q++) {
        sum += this.slotShares[q - 1]!;
        perNode[q * n + k] = sum;
      }
      if (holders !== NONE) this.cheapestFreeing(holders, g, f.wholeVictims);
    }
    for (let q = 1; q <= g; q++) {
      sortRange(perNode, q * n, q * n + n);
      const at = q * (n + 1);
      f.shares[at] = 0;
      for (let k = 0; k < n; k++) f.shares[at + k + 1] = f.shares[at + k]! + perNode[q * n + k]!;
    }
    return f;
  }

  /**
   * Reads node i: each slot's share into slotShares (sorted, cheapest first), and the preemptible holders
   * into holderRank / holderGpus, its free slots into freeSlots. Returns how many holders, or NONE for a
   * node that is down.
   */
  private readNode(i: number, g: number, borrowingTiers: number, aboveQuota: number): number {
    const { state, index, slotShares, holderRank, holderGpus } = this;
    const { occ, owner, slotsPerNode, holdings } = state;
    const shares = slotShares;
    if (occ.up[i] !== 1) {
      shares.fill(Number.POSITIVE_INFINITY, 0, g);
      return NONE;
    }
    let holders = 0;
    this.freeSlots = 0;
    for (let s = 0; s < g; s++) {
      const bit = 1 << s;
      shares[s] = Number.POSITIVE_INFINITY;
      if (occ.reserved[i]! & bit) continue;
      if (occ.free[i]! & bit) {
        shares[s] = 0;
        this.freeSlots++;
        continue;
      }
      const handle = owner[i * slotsPerNode + s]!;
      const h = handle >= 0 ? holdings[handle] : undefined;
      const r = h ? index.rankOf(h) : -1;
      if (!h || r < 0 || !h.live) continue;
      if (!((borrowingTiers >> h.tier) & 1)) {
        const k = aboveQuota === 0 ? undefined : this.quotaTenants.get(h.job.tenantId);
        if (k === undefined || !((aboveQuota >> k) & 1)) continue;
      }
      shares[s] = index.lost[r]! / h.gpus;
      let k = 0;
      while (k < holders && holderRank[k] !== r) k++;
      if (k === holders) {
        holderRank[holders] = r;
        holderGpus[holders++] = 0;
      }
      holderGpus[k]!++;
    }
    sortRange(shares, 0, g);
    return holders;
  }

  /**
   * Lowers least[q], q = 1 … g, to what the cheapest set of the node's holders (read by readNode), each
   * paid in full, costs to leave q GPUs usable there.
   */
  private cheapestFreeing(holders: number, g: number, least: Float64Array): void {
    const free = this.freeSlots;
    for (let q = 1; q <= Math.min(free, g); q++) least[q] = 0;
    // A node has a few holders at most (one per GPU): every subset is cheap to try.
    for (let set = 1; set < 1 << holders; set++) {
      let gpus = free;
      let lost = 0;
      for (let k = 0; k < holders; k++)
        if (set & (1 << k)) {
          gpus += this.holderGpus[k]!;
          lost += this.index.lost[this.holderRank[k]!]!;
        }
      for (let q = free + 1; q <= Math.min(gpus, g); q++) if (lost < least[q]!) least[q] = lost;
    }
  }
}

/** Sorts a[from … to) ascending in place: the ranges are a node's slots or a domain's nodes, a few dozen at most. */
function sortRange(a: Float64Array, from: number, to: number): void {
  for (let k = from + 1; k < to; k++) {
    const v = a[k]!;
    let j = k - 1;
    while (j >= from && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
