// Re-verifies a finished simulation from its record alone (the `jobs` of a run in results.json) against
// the facility and the workload it replayed: the hard rules a schedule must keep whatever the policy.
// Pure: the caller reads the files. Each violation names where in the record it is and which rule it breaks.
//
// Checked: every recorded job is a job of the workload, with its submission time and tenant; no run starts
// before the job's submission or ends before it starts, and a job's runs do not overlap; every node exists,
// lies in the run's site and has the GPU model recorded; GPU indices exist on the node and are not repeated;
// the job's GPU models, residency and the site's owner allow the placement; the run has the job's shape
// (a gang's nodes × gpusPerNode, or its GPU count); and no GPU is held by two runs at any instant.
import type { PathSegment } from "../model/input-error.ts";
import type { Facility, Job } from "../model/types.ts";
import type { RunEnd, SimRunNode } from "./types.ts";

export interface AuditedRun {
  startAtMs: number;
  endAtMs: number;
  siteId: string;
  nodes: SimRunNode[];
  end: RunEnd;
}

export interface AuditedJob {
  jobId: string;
  tenantId: string;
  submittedAtMs: number;
  runs: AuditedRun[];
}

export interface RunViolation {
  /** Where in the record, e.g. `["jobs", 3, "runs", 0, "nodes", 1, "gpus", 2]`. */
  path: PathSegment[];
  message: string;
}

interface NodeFacts {
  siteId: string;
  gpuModel: string;
  gpusPerNode: number;
}

/**
 * One GPU held over [startAtMs, endAtMs), and where in the record: kept as numbers, as a year's run holds
 * tens of millions; the path is spelled out only for a violation.
 */
interface Hold {
  node: string;
  gpu: number;
  startAtMs: number;
  endAtMs: number;
  job: number;
  run: number;
  nodeAt: number;
  gpuAt: number;
}

export function checkRun(
  jobs: readonly AuditedJob[],
  facility: Facility,
  workload: readonly Job[],
): RunViolation[] {
  const violations: RunViolation[] = [];
  const add = (path: PathSegment[], message: string) => violations.push({ path, message });
  const nodes = nodeFacts(facility);
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
      checkPlacement(job, run, runAt, nodes, sites, add);
      for (const [n, held] of run.nodes.entries())
        for (const [g, gpu] of held.gpus.entries())
          if (run.endAtMs > run.startAtMs)
            holds.push({
              node: held.nodeId,
              gpu,
              startAtMs: run.startAtMs,
              endAtMs: run.endAtMs,
              job: i,
              run: k,
              nodeAt: n,
              gpuAt: g,
            });
    });
  });
  checkOverCommit(holds, jobs, add);
  return violations;
}

function checkPlacement(
  job: Job,
  run: AuditedRun,
  at: PathSegment[],
  nodes: Map<string, NodeFacts>,
  sites: Map<string, Facility["sites"][number]>,
  add: (path: PathSegment[], message: string) => void,
): void {
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
  const usedNodes = new Set<string>();
  run.nodes.forEach((held, n) => {
    const nodeAt = [...at, "nodes", n];
    if (usedNodes.has(held.nodeId)) add([...nodeAt, "nodeId"], `node ${held.nodeId} is listed twice`);
    usedNodes.add(held.nodeId);
    const facts = nodes.get(held.nodeId);
    if (facts === undefined) {
      add([...nodeAt, "nodeId"], `unknown node ${held.nodeId}`);
      return;
    }
    if (facts.siteId !== run.siteId)
      add([...nodeAt, "nodeId"], `node ${held.nodeId} is in site ${facts.siteId}, not ${run.siteId}`);
    if (held.gpuModel !== facts.gpuModel)
      add([...nodeAt, "gpuModel"], `is ${held.gpuModel}, but node ${held.nodeId} has ${facts.gpuModel}`);
    if (job.gpuModels !== null && !job.gpuModels.includes(facts.gpuModel))
      add(
        [...nodeAt, "gpuModel"],
        `${facts.gpuModel} is not one of the job's GPU models (${job.gpuModels.join(", ")})`,
      );
    const usedGpus = new Set<number>();
    held.gpus.forEach((gpu, g) => {
      if (!Number.isInteger(gpu) || gpu < 0 || gpu >= facts.gpusPerNode)
        add(
          [...nodeAt, "gpus", g],
          `GPU ${gpu} does not exist on node ${held.nodeId} (${facts.gpusPerNode} GPUs)`,
        );
      else if (usedGpus.has(gpu)) add([...nodeAt, "gpus", g], `GPU ${gpu} is listed twice`);
      usedGpus.add(gpu);
    });
  });
  const shapeProblem = shapeMismatch(job, run);
  if (shapeProblem !== null) add([...at, "nodes"], shapeProblem);
}

/** null when the run has the job's shape. */
function shapeMismatch(job: Job, run: AuditedRun): string | null {
  const { shape } = job;
  if (shape.kind === "gang") {
    const fits =
      run.nodes.length === shape.nodes && run.nodes.every((n) => n.gpus.length === shape.gpusPerNode);
    if (fits) return null;
    const held = run.nodes.map((n) => n.gpus.length).join(" + ");
    return `holds ${held || "no"} GPUs on ${run.nodes.length} nodes; the job is a gang of ${shape.nodes} × ${shape.gpusPerNode}`;
  }
  const total = run.nodes.reduce((sum, n) => sum + n.gpus.length, 0);
  return total === shape.gpus ? null : `holds ${total} GPUs; the job asks for ${shape.gpus}`;
}

/** Sorts each GPU's holds by start: a hold starting before the previous one ended shares the GPU. */
function checkOverCommit(
  holds: Hold[],
  jobs: readonly AuditedJob[],
  add: (path: PathSegment[], message: string) => void,
): void {
  const sameGpu = (a: Hold, b: Hold) => a.node === b.node && a.gpu === b.gpu;
  holds.sort((a, b) =>
    a.node !== b.node ? (a.node < b.node ? -1 : 1) : a.gpu - b.gpu || a.startAtMs - b.startAtMs,
  );
  let latest: Hold | undefined;
  for (const hold of holds) {
    if (latest === undefined || !sameGpu(latest, hold)) {
      latest = hold;
      continue;
    }
    if (hold.startAtMs < latest.endAtMs)
      add(
        ["jobs", hold.job, "runs", hold.run, "nodes", hold.nodeAt, "gpus", hold.gpuAt],
        `GPU ${hold.node} #${hold.gpu} is over-committed: held by ${jobs[hold.job]!.jobId} from ${iso(hold.startAtMs)} while ${jobs[latest.job]!.jobId} holds it until ${iso(latest.endAtMs)}`,
      );
    if (hold.endAtMs > latest.endAtMs) latest = hold;
  }
}

function nodeFacts(facility: Facility): Map<string, NodeFacts> {
  const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  const out = new Map<string, NodeFacts>();
  for (const node of facility.nodes) {
    const type = types.get(node.nodeTypeId);
    if (type === undefined) continue;
    out.set(node.id, { siteId: node.siteId, gpuModel: type.gpuModel, gpusPerNode: type.gpusPerNode });
  }
  return out;
}

/** ISO 8601 where the instant is one a Date can hold; the number itself otherwise. */
function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
