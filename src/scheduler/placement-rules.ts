// Rules that choose a node, and the GPUs on it, for one task on nodes whose GPUs can be shared:
//   first-fit  the first node in order that hosts the task, its lowest-indexed GPUs with room;
//   best-fit   the node left with the least free capacity (CPU and GPU, each as a share of the node's);
//   fgd        the least growth of fragmentation (fragmentation.ts) for a fixed set of expected tasks —
//              Weng et al.'s Fragmentation Gradient Descent, given the trace's typical tasks in advance;
//   fjord      Fjord's rule: the least growth of fragmentation for the tasks it has seen arrive so far
//              (it cannot know the future), ties broken by best fit, so equal choices pack instead of
//              spreading.
// Ties left after that go to the lowest node index, then the lowest GPU index: every rule is deterministic.
// The fragmentation rules cache each node's figure per task shape and recompute it only when the node
// changed, so a decision costs one comparison per node plus the nodes changed since that shape last came.
import {
  type ExpectedTask,
  expectedFromCounts,
  fragmentation,
  hosts,
  MILLI,
  type TaskShape,
} from "./fragmentation.ts";
import { type GpuChoice, gpuOptions, type SharedGpuCluster } from "./shared-gpu-cluster.ts";

export const PLACEMENT_RULES = ["fjord", "first-fit", "best-fit", "fgd"] as const;
export type PlacementRuleName = (typeof PLACEMENT_RULES)[number];

export interface PlacementRule {
  readonly name: PlacementRuleName;
  /** Where the task goes, or null when no node hosts it. Call once per arriving task, in order. */
  choose(task: TaskShape): GpuChoice | null;
}

export interface RuleOptions {
  /** The expected tasks `fgd` works with (the paper: the trace's most frequent shapes). */
  typical?: readonly ExpectedTask[];
  /** `fjord`: arrivals between two refreshes of its expected tasks. */
  refreshEvery?: number;
  /** `fjord`: share of arrived tasks its expected tasks cover, most frequent shapes first. */
  coverage?: number;
}

export function placementRule(
  name: PlacementRuleName,
  cluster: SharedGpuCluster,
  options: RuleOptions = {},
): PlacementRule {
  switch (name) {
    case "first-fit":
      return { name, choose: (task) => firstFit(cluster, task) };
    case "best-fit":
      return { name, choose: (task) => bestFit(cluster, task) };
    case "fgd":
      return new FragmentationRule(name, cluster, options.typical ?? [], false);
    case "fjord":
      return new LearningFragmentationRule(
        cluster,
        options.refreshEvery ?? 128,
        options.coverage ?? DEFAULT_COVERAGE,
      );
  }
}

/** Share of arrivals Fjord's expected tasks cover. */
export const DEFAULT_COVERAGE = 0.9;

function firstFit(cluster: SharedGpuCluster, task: TaskShape): GpuChoice | null {
  for (let n = 0; n < cluster.size; n++) {
    const node = cluster.nodes[n]!;
    if (!hosts(node, task)) continue;
    return { node: n, gpus: gpuOptions(node.gpuMilli, task)[0]! };
  }
  return null;
}

function bestFit(cluster: SharedGpuCluster, task: TaskShape): GpuChoice | null {
  let best: GpuChoice | null = null;
  let bestLeft = Number.POSITIVE_INFINITY;
  let bestRoom = Number.POSITIVE_INFINITY;
  for (let n = 0; n < cluster.size; n++) {
    const node = cluster.nodes[n]!;
    if (!hosts(node, task)) continue;
    const left = leftAfter(cluster, n, task);
    if (left > bestLeft) continue;
    for (const gpus of gpuOptions(node.gpuMilli, task)) {
      const room = roomAfter(node.gpuMilli, gpus, task);
      if (left < bestLeft || room < bestRoom) {
        best = { node: n, gpus };
        bestLeft = left;
        bestRoom = room;
      }
    }
  }
  return best;
}

/** Free capacity the node would keep: CPU and GPU, each as a share of the node's own. */
function leftAfter(cluster: SharedGpuCluster, n: number, task: TaskShape): number {
  const spec = cluster.specs[n]!;
  const cpu = spec.cpuMilli > 0 ? (cluster.cpuLeft[n]! - task.cpuMilli) / spec.cpuMilli : 0;
  if (spec.gpus === 0) return cpu;
  let gpuLeft = 0;
  for (const g of cluster.nodes[n]!.gpuMilli as Int32Array) gpuLeft += g;
  return cpu + (gpuLeft - task.gpus * task.gpuMilli) / (spec.gpus * MILLI);
}

/** Thousandths the chosen GPUs keep free: for a share, how snugly it fits its GPU. */
function roomAfter(left: ArrayLike<number>, gpus: number[], task: TaskShape): number {
  let room = 0;
  for (const g of gpus) room += left[g]! - task.gpuMilli;
  return room;
}

/** A node's best option for one task shape, cached until the node or the expected tasks change. */
interface Cached {
  version: Uint32Array;
  epoch: Uint32Array;
  /** Growth of fragmentation, and the best-fit figures that break its ties; NaN = the node cannot host. */
  growth: Float64Array;
  left: Float64Array;
  room: Float64Array;
  option: (number[] | null)[];
}

class FragmentationRule implements PlacementRule {
  /** Cached options per task shape, by the shape's key. */
  private readonly byShape = new Map<string, Cached>();
  /** The node's own fragmentation, cached: valid where fragVersion/fragEpoch match. */
  private readonly frag: Float64Array;
  private readonly fragVersion: Uint32Array;
  private readonly fragEpoch: Uint32Array;
  /** Bumped when the expected tasks change: every cached figure is stale. Starts at 1 (0 = never). */
  protected epoch = 1;

  constructor(
    readonly name: PlacementRuleName,
    protected readonly cluster: SharedGpuCluster,
    protected expected: readonly ExpectedTask[],
    private readonly breakTiesByFit: boolean,
  ) {
    this.frag = new Float64Array(cluster.size);
    this.fragVersion = new Uint32Array(cluster.size);
    this.fragEpoch = new Uint32Array(cluster.size);
  }

  choose(task: TaskShape): GpuChoice | null {
    const cluster = this.cluster;
    const cached = this.cacheFor(task);
    let best = -1;
    for (let n = 0; n < cluster.size; n++) {
      if (cached.version[n] !== cluster.version[n] || cached.epoch[n] !== this.epoch)
        this.evaluate(n, task, cached);
      if (cached.option[n] === null) continue;
      if (best < 0 || this.better(cached, n, best)) best = n;
    }
    return best < 0 ? null : { node: best, gpus: cached.option[best]! };
  }

  private better(c: Cached, n: number, than: number): boolean {
    const d = c.growth[n]! - c.growth[than]!;
    if (Math.abs(d) > 1e-9) return d < 0;
    if (!this.breakTiesByFit) return false;
    if (c.left[n] !== c.left[than]) return c.left[n]! < c.left[than]!;
    return c.room[n]! < c.room[than]!;
  }

  private cacheFor(task: TaskShape): Cached {
    const key = `${task.cpuMilli}|${task.memoryMiB}|${task.gpus}|${task.gpuMilli}|${task.models?.join(",") ?? "*"}`;
    let cached = this.byShape.get(key);
    if (!cached) {
      const n = this.cluster.size;
      cached = {
        version: new Uint32Array(n),
        epoch: new Uint32Array(n),
        growth: new Float64Array(n),
        left: new Float64Array(n),
        room: new Float64Array(n),
        option: new Array(n).fill(null),
      };
      this.byShape.set(key, cached);
    }
    return cached;
  }

  /** The node's best option for the task: least growth of fragmentation, then best fit. */
  private evaluate(n: number, task: TaskShape, c: Cached): void {
    const cluster = this.cluster;
    c.version[n] = cluster.version[n]!;
    c.epoch[n] = this.epoch;
    c.option[n] = null;
    const node = cluster.nodes[n]!;
    if (!hosts(node, task)) return;
    const before = this.nodeFragmentation(n);
    const left = leftAfter(cluster, n, task);
    for (const gpus of gpuOptions(node.gpuMilli, task)) {
      const growth = this.fragmentationWith(n, task, gpus) - before;
      const room = roomAfter(node.gpuMilli, gpus, task);
      const first = c.option[n] === null;
      const d = growth - c.growth[n]!;
      if (first || d < -1e-9 || (Math.abs(d) <= 1e-9 && this.breakTiesByFit && room < c.room[n]!)) {
        c.option[n] = gpus;
        c.growth[n] = growth;
        c.left[n] = left;
        c.room[n] = room;
      }
    }
  }

  private nodeFragmentation(n: number): number {
    if (this.fragVersion[n] !== this.cluster.version[n] || this.fragEpoch[n] !== this.epoch) {
      this.frag[n] = fragmentation(this.cluster.nodes[n]!, this.expected);
      this.fragVersion[n] = this.cluster.version[n]!;
      this.fragEpoch[n] = this.epoch;
    }
    return this.frag[n]!;
  }

  /** The node's fragmentation with the task placed on the given GPUs, leaving the node as it was. */
  private fragmentationWith(n: number, task: TaskShape, gpus: number[]): number {
    const cluster = this.cluster;
    const left = cluster.nodes[n]!.gpuMilli as Int32Array;
    cluster.cpuLeft[n]! -= task.cpuMilli;
    cluster.memoryLeft[n]! -= task.memoryMiB;
    for (const g of gpus) left[g]! -= task.gpuMilli;
    const after = fragmentation(cluster.nodes[n]!, this.expected);
    cluster.cpuLeft[n]! += task.cpuMilli;
    cluster.memoryLeft[n]! += task.memoryMiB;
    for (const g of gpus) left[g]! += task.gpuMilli;
    return after;
  }
}

/**
 * Fjord's rule: fragmentation growth against the shapes seen so far, refreshed every `refreshEvery`
 * arrivals (each refresh makes every cached figure stale, so it is not done on every arrival), with ties
 * broken by best fit. Until the first refresh it knows no shapes: every growth is 0 and best fit decides.
 */
class LearningFragmentationRule extends FragmentationRule {
  private readonly counts = new Map<string, { shape: TaskShape; count: number }>();
  private arrivals = 0;

  constructor(
    cluster: SharedGpuCluster,
    private readonly refreshEvery: number,
    private readonly coverage: number,
  ) {
    super("fjord", cluster, [], true);
  }

  override choose(task: TaskShape): GpuChoice | null {
    const key = `${task.cpuMilli}|${task.gpus}|${task.gpuMilli}|${task.models?.join(",") ?? "*"}`;
    const seen = this.counts.get(key);
    if (seen) seen.count++;
    else this.counts.set(key, { shape: { ...task, memoryMiB: 0 }, count: 1 });
    if (++this.arrivals % this.refreshEvery === 1) {
      this.expected = expectedFromCounts([...this.counts.values()], this.coverage);
      this.epoch++;
    }
    return super.choose(task);
  }
}
