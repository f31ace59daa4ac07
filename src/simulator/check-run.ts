// Re-verifies a finished simulation from its record alone (the `jobs` of a run in results.json) against
// the facility and the workload it replayed: the hard rules a schedule must keep whatever the policy.
// Pure: the caller reads the files. Each violation names where in the record it is and which rule it breaks.
//
// Checked: every recorded job is a job of the workload, with its submission time and tenant; no run starts
// before the job's submission or ends before it starts, and a job's runs do not overlap; every range of
// whole nodes starts at a node of the facility and stays inside it (ranges follow the facility's node order);
// every node exists, is listed once, lies in the run's site and has the run's GPU model; GPU indices exist
// on the node and are not repeated; the job's GPU models, residency and the site's owner allow the
// placement; the run has the job's shape (a gang's nodes × gpusPerNode, or its GPU count) and topology (one
// NVLink domain or network block when the job asks for one; one node for a GPU-count job that one node of
// its allowed GPU models holds, or nodes of one multi-node NVLink domain where the run's nodes are
// smaller); and no GPU is held by two runs at any instant.
import type { PathSegment } from "../model/input-error.ts";
import { GPU_MILLI, shapeMilli } from "../model/job-shape.ts";
import type { Facility, Job, NodeType } from "../model/types.ts";
import { type CompiledFacility, compileFacility } from "../scheduler/compile-facility.ts";
import { EligibilityCache } from "../scheduler/eligibility.ts";
import { largestNodeGpus } from "../scheduler/request.ts";
import { expandRunNodes, type HeldNode, type NodeOrder, nodeOrderOf } from "./run-nodes.ts";
import type { RunEnd, RunNodes } from "./types.ts";

export interface AuditedRun extends RunNodes {
  startAtMs: number;
  endAtMs: number;
  siteId: string;
  gpuModel: string;
  end: RunEnd;
}

export interface AuditedJob {
  jobId: string;
  tenantId: string;
  submittedAtMs: number;
  runs: AuditedRun[];
}

export interface RunViolation {
  /** Where in the record, e.g. `["jobs", 3, "runs", 0, "partNodes", 1, "gpus", 2]`. */
  path: PathSegment[];
  message: string;
}

type Add = (path: PathSegment[], message: string) => void;

/** What the checker needs of each node, by node index. */
interface NodeFacts {
  order: NodeOrder;
  siteId: string[];
  gpuModel: string[];
  domainId: string[];
  blockId: string[];
  nodeType: (NodeType | undefined)[];
}

export interface CheckOptions {
  /**
   * Whether a tenant's own sites served its jobs in the run (the FIFO baseline leaves them idle): the
   * largest node a GPU-count job was allowed is then found among them too.
   */
  ownSitesServe: boolean;
}

/** The GPUs of the largest node each job may use, as the scheduler found it at admission. */
class LargestAllowedNode {
  private readonly eligibility: EligibilityCache;
  constructor(
    private readonly cf: CompiledFacility,
    private readonly ownSitesServe: boolean,
  ) {
    this.eligibility = new EligibilityCache(cf);
  }
  of(job: Job): number {
    const e = this.eligibility.of(job);
    if (e.problem !== null) return 0;
    const pools = this.ownSitesServe ? [...e.own, ...e.facility] : e.facility;
    return largestNodeGpus(pools.map((p) => this.cf.pools[p]!));
  }
}

/**
 * One node's GPUs held over [startAtMs, endAtMs), and where in the record: one per node a run held (not
 * per GPU), as a year's run holds millions; the path is spelled out only for a violation.
 */
interface Hold {
  held: HeldNode;
  startAtMs: number;
  endAtMs: number;
  job: number;
  run: number;
}

export function checkRun(
  jobs: readonly AuditedJob[],
  facility: Facility,
  workload: readonly Job[],
  options: CheckOptions = { ownSitesServe: true },
): RunViolation[] {
  const violations: RunViolation[] = [];
  const add: Add = (path, message) => violations.push({ path, message });
  const nodes = nodeFacts(facility);
  const largest = new LargestAllowedNode(compileFacility(facility), options.ownSitesServe);
  const sites = new Map(facility.sites.map((s) => [s.id, s]));
  const workloadJobs = new Map(workload.map((j) => [j.id, j]));
  const seen = new Set<string>();
  const holds: Hold[] = [];

  jobs.forEach((record, i) => {
    const at = ["jobs", i] as PathSegment[];
    if (seen.has(record.jobId)) add([...at, "jobId"], `job ${record.jobId} is listed twice`);
    seen.add(record.jobId);
    const job = workloadJobs.get(record.jobId);
    if (job === undefined) {
      add([...at, "jobId"], `job ${record.jobId} is not in the workload`);
      return;
    }
    if (record.submittedAtMs !== job.submittedAtMs)
      add(
        [...at, "submittedAtMs"],
        `is ${iso(record.submittedAtMs)}, but the workload submits ${job.id} at ${iso(job.submittedAtMs)}`,
      );
    if (record.tenantId !== job.tenantId)
      add([...at, "tenantId"], `is ${record.tenantId}, but the workload's job belongs to ${job.tenantId}`);
    let previousEndAtMs = Number.NEGATIVE_INFINITY;
    record.runs.forEach((run, k) => {
      const runAt = [...at, "runs", k];
      if (run.startAtMs < job.submittedAtMs)
        add(
          [...runAt, "startAtMs"],
          `starts at ${iso(run.startAtMs)}, before the job's submission at ${iso(job.submittedAtMs)}`,
        );
      if (run.endAtMs < run.startAtMs) add([...runAt, "endAtMs"], "ends before it starts");
      if (run.startAtMs < previousEndAtMs)
        add([...runAt, "startAtMs"], "starts before the job's previous run ended");
      previousEndAtMs = Math.max(previousEndAtMs, run.endAtMs);
      const held = checkPlacement(job, run, runAt, nodes, sites, add);
      const topologyProblem = topologyMismatch(job, held, nodes, largest);
      if (topologyProblem !== null) add(runAt, topologyProblem);
      if (run.endAtMs > run.startAtMs)
        for (const node of held)
          holds.push({ held: node, startAtMs: run.startAtMs, endAtMs: run.endAtMs, job: i, run: k });
    });
  });
  checkOverCommit(holds, jobs, nodes.order, add);
  return violations;
}

/** Checks where the run ran; returns the nodes it held (those of the facility). */
function checkPlacement(
  job: Job,
  run: AuditedRun,
  at: PathSegment[],
  nodes: NodeFacts,
  sites: Map<string, Facility["sites"][number]>,
  add: Add,
): HeldNode[] {
  const site = sites.get(run.siteId);
  if (site === undefined) add([...at, "siteId"], `unknown site ${run.siteId}`);
  else {
    if (site.operator !== "facility" && site.operator.tenantId !== job.tenantId)
      add(
        [...at, "siteId"],
        `site ${site.id} belongs to tenant ${site.operator.tenantId}, not to ${job.tenantId}`,
      );
    if (job.residency !== null && !site.jurisdictions.some((j) => job.residency!.includes(j)))
      add(
        [...at, "siteId"],
        `site ${site.id} (${site.jurisdictions.join(", ")}) is outside the job's residency ${job.residency.join(", ")}`,
      );
  }
  if (job.gpuModels !== null && !job.gpuModels.includes(run.gpuModel))
    add(
      [...at, "gpuModel"],
      `${run.gpuModel} is not one of the job's GPU models (${job.gpuModels.join(", ")})`,
    );
  const expanded = expandRunNodes(run, nodes.order);
  for (const problem of expanded.problems) add([...at, ...problem.path], problem.message);
  const usedNodes = new Set<number>();
  for (const held of expanded.nodes) {
    const nodeAt = [...at, ...held.from];
    const { index, nodeId } = held;
    if (usedNodes.has(index)) add(nodeAt, `node ${nodeId} is listed twice`);
    usedNodes.add(index);
    if (nodes.siteId[index] !== run.siteId)
      add(nodeAt, `node ${nodeId} is in site ${nodes.siteId[index]}, not ${run.siteId}`);
    if (nodes.gpuModel[index] !== run.gpuModel)
      add(nodeAt, `node ${nodeId} has ${nodes.gpuModel[index]}, not the run's ${run.gpuModel}`);
    const gpusPerNode = nodes.order.nodeGpus[index]!;
    const usedGpus = new Set<number>();
    held.gpus.forEach((gpu, g) => {
      if (!Number.isInteger(gpu) || gpu < 0 || gpu >= gpusPerNode)
        add([...nodeAt, "gpus", g], `GPU ${gpu} does not exist on node ${nodeId} (${gpusPerNode} GPUs)`);
      else if (usedGpus.has(gpu)) add([...nodeAt, "gpus", g], `GPU ${gpu} is listed twice`);
      usedGpus.add(gpu);
    });
  }
  const shapeProblem = shapeMismatch(job, expanded.nodes);
  if (shapeProblem !== null) add(at, shapeProblem);
  for (const held of expanded.nodes) {
    const type = nodes.nodeType[held.index];
    const problem = type === undefined ? null : sharingMismatch(job, type);
    if (problem !== null) add([...at, ...held.from], `node ${held.nodeId}: ${problem}`);
  }
  return expanded.nodes;
}

/** null when the nodes keep the job's topology: see the file's header. */
function topologyMismatch(
  job: Job,
  held: readonly HeldNode[],
  nodes: NodeFacts,
  largest: LargestAllowedNode,
): string | null {
  if (held.length <= 1) return null;
  const domains = new Set(held.map((n) => nodes.domainId[n.index]));
  if (job.topology === "nvlink-domain" && domains.size > 1)
    return `runs in ${domains.size} NVLink domains; the job asks for one`;
  const blocks = new Set(held.map((n) => nodes.blockId[n.index]));
  if (job.topology === "network-block" && blocks.size > 1)
    return `runs in ${blocks.size} network blocks; the job asks for one`;
  if (job.shape.kind !== "gpus") return null;
  const allowedGpus = largest.of(job);
  if (job.shape.gpus > allowedGpus) return null;
  const nodeGpus = nodes.order.nodeGpus[held[0]!.index]!;
  if (nodeGpus >= job.shape.gpus)
    return `runs on ${held.length} nodes; one of its ${nodeGpus}-GPU nodes holds the job's ${job.shape.gpus} GPUs`;
  if (domains.size > 1)
    return `runs on ${held.length} nodes in ${domains.size} NVLink domains; a ${job.shape.gpus}-GPU job that one allowed ${allowedGpus}-GPU node holds runs on one node or within one NVLink domain`;
  return null;
}

/** null when the node's GPU type takes the job's share of a GPU or MIG instance (whole GPUs go anywhere). */
function sharingMismatch(job: Job, type: NodeType): string | null {
  const { shape } = job;
  if (shape.kind === "share" && type.gpuSharing !== true)
    return `its ${type.gpuModel} GPUs are not shared (gpuSharing), yet it holds a share of one`;
  if (shape.kind === "mig" && !(type.migProfiles ?? []).includes(shape.profile))
    return `its ${type.gpuModel} GPUs have no MIG profile ${shape.profile}`;
  return null;
}

/** null when the nodes have the job's shape. */
function shapeMismatch(job: Job, held: readonly HeldNode[]): string | null {
  const { shape } = job;
  if (shape.kind !== "share" && shape.kind !== "mig" && held.some((n) => n.gpuMilli !== undefined))
    return "holds a share of a GPU; the job asks for whole GPUs";
  if (shape.kind === "gang") {
    const fits = held.length === shape.nodes && held.every((n) => n.gpus.length === shape.gpusPerNode);
    if (fits) return null;
    const gpus = held.map((n) => n.gpus.length).join(" + ");
    return `holds ${gpus || "no"} GPUs on ${held.length} nodes; the job is a gang of ${shape.nodes} × ${shape.gpusPerNode}`;
  }
  if (shape.kind === "share" || shape.kind === "mig") {
    const milli = shapeMilli(shape);
    const one = held.length === 1 && held[0]!.gpus.length === 1 ? held[0]! : null;
    if (one !== null && one.gpuMilli === milli) return null;
    const holds = held.map((n) =>
      n.gpuMilli === undefined ? `${n.gpus.length} GPUs` : `${n.gpuMilli}/1000 of a GPU`,
    );
    return `holds ${holds.join(" + ") || "nothing"}; the job asks for ${milli}/1000 of one GPU`;
  }

  const total = held.reduce((sum, n) => sum + n.gpus.length, 0);
  return total === shape.gpus ? null : `holds ${total} GPUs; the job asks for ${shape.gpus}`;
}

/**
 * Sorts the holds by node and start; for each GPU of a node, a hold starting before the latest end so far
 * shares the GPU. GPUs a node does not have are left to the placement check.
 */
function checkOverCommit(holds: Hold[], jobs: readonly AuditedJob[], order: NodeOrder, add: Add): void {
  holds.sort((a, b) => a.held.index - b.held.index || a.startAtMs - b.startAtMs);
  /** Per GPU of the current node, the whole hold and the share that end last so far. */
  let latest: (Hold | undefined)[] = [];
  let latestShare: (Hold | undefined)[] = [];
  /** Per GPU of the current node, its shares: what they add up to is checked once the node is read. */
  let shares: Hold[][] = [];
  let node = -1;
  const pathOf = (hold: Hold, g: number): PathSegment[] => [
    "jobs",
    hold.job,
    "runs",
    hold.run,
    ...hold.held.from,
    ...(hold.held.from[0] === "partNodes" ? ["gpus", g] : []),
  ];
  const overlap = (hold: Hold, g: number, gpu: number, before: Hold | undefined) => {
    if (before !== undefined && hold.startAtMs < before.endAtMs)
      add(
        pathOf(hold, g),
        `GPU ${hold.held.nodeId} #${gpu} is over-committed: held by ${jobs[hold.job]!.jobId} from ${iso(hold.startAtMs)} while ${jobs[before.job]!.jobId} holds it until ${iso(before.endAtMs)}`,
      );
  };
  for (const hold of holds) {
    const { held } = hold;
    if (held.index !== node) {
      for (const onGpu of shares) if (onGpu) checkShares(onGpu, jobs, add, pathOf);
      node = held.index;
      latest = new Array(order.nodeGpus[node]!);
      latestShare = new Array(order.nodeGpus[node]!);
      shares = new Array(order.nodeGpus[node]!);
    }
    held.gpus.forEach((gpu, g) => {
      if (!Number.isInteger(gpu) || gpu < 0 || gpu >= latest.length) return;
      // A whole hold may overlap nothing; a share may overlap other shares, never a whole hold.
      overlap(hold, g, gpu, latest[gpu]);
      if (held.gpuMilli === undefined) {
        overlap(hold, g, gpu, latestShare[gpu]);
        if (latest[gpu] === undefined || hold.endAtMs > latest[gpu]!.endAtMs) latest[gpu] = hold;
      } else {
        const onGpu = shares[gpu];
        if (onGpu) onGpu.push(hold);
        else shares[gpu] = [hold];
        if (latestShare[gpu] === undefined || hold.endAtMs > latestShare[gpu]!.endAtMs)
          latestShare[gpu] = hold;
      }
    });
  }
  for (const onGpu of shares) if (onGpu) checkShares(onGpu, jobs, add, pathOf);
}

/** Shares of one GPU, by start: at no instant may they add up to more than the GPU. */
function checkShares(
  onGpu: Hold[],
  jobs: readonly AuditedJob[],
  add: Add,
  pathOf: (hold: Hold, g: number) => PathSegment[],
): void {
  // Shares still held, by end; a share ending when another starts has let go of the GPU.
  const active: Hold[] = [];
  let milli = 0;
  for (const hold of onGpu) {
    for (let k = active.length - 1; k >= 0; k--)
      if (active[k]!.endAtMs <= hold.startAtMs) {
        milli -= active[k]!.held.gpuMilli!;
        active.splice(k, 1);
      }
    active.push(hold);
    milli += hold.held.gpuMilli!;
    if (milli > GPU_MILLI)
      add(
        pathOf(hold, 0),
        `GPU ${hold.held.nodeId} #${hold.held.gpus[0]} is over-committed: from ${iso(hold.startAtMs)} its shares add up to ${milli}/1000 (${active.map((h) => jobs[h.job]!.jobId).join(", ")})`,
      );
  }
}

function nodeFacts(facility: Facility): NodeFacts {
  const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  return {
    order: nodeOrderOf(facility),
    siteId: facility.nodes.map((n) => n.siteId),
    gpuModel: facility.nodes.map((n) => types.get(n.nodeTypeId)?.gpuModel ?? ""),
    domainId: facility.nodes.map((n) => n.domainId),
    nodeType: facility.nodes.map((n) => types.get(n.nodeTypeId)),
    blockId: facility.nodes.map((n) => n.blockId),
  };
}

/** ISO 8601 where the instant is one a Date can hold; the number itself otherwise. */
function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
