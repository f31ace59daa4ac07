// Running jobs refer to the facility (nodes, GPUs), the policy (tenants), the queue (ids) and the clock, so
// they can only be checked once all are loaded. The scheduler trusts its input and would stop at the first
// bad allocation with a bare Error; this reports every problem at its path in the running-jobs file.
import { InputError, type InputIssue, issueAt, type PathSegment } from "../model/input-error.ts";
import { unknownReference } from "../model/input-schemas.ts";
import { shapeMilli } from "../model/job-shape.ts";
import type { Facility, FacilityNode, Job, Policy, RunningJob } from "../model/types.ts";

export interface RunningContext {
  facility: Facility;
  policy: Policy;
  queue: readonly Job[];
  nowMs: number;
}

/** Throws InputError (paths `running[i]…`, `source` = the running-jobs file) for every inconsistency. */
export function checkRunning(running: readonly RunningJob[], context: RunningContext, source: string): void {
  const issues: InputIssue[] = [];
  const check = new AllocationCheck(context.facility, issues);
  const tenants = context.policy.tenants.map((t) => t.id);
  const tenantSet = new Set(tenants);
  const queued = new Set(context.queue.map((j) => j.id));

  running.forEach((r, i) => {
    const at = (...rest: PathSegment[]) => ["running", i, ...rest];
    if (!tenantSet.has(r.job.tenantId)) {
      issues.push(issueAt(at("job", "tenant"), unknownReference("tenant", r.job.tenantId, tenants)));
    }
    if (queued.has(r.job.id)) {
      issues.push(
        issueAt(at("job", "id"), `job '${r.job.id}' is also in the queue; a job is either queued or running`),
      );
    }
    if (r.startedAtMs > context.nowMs) {
      issues.push(issueAt(at("startedAt"), `is after now (${new Date(context.nowMs).toISOString()})`));
    }
    check.allocation(r, i);
  });
  if (issues.length > 0) throw new InputError(source, issues);
}

/** Checks allocations one by one, remembering which running job holds each GPU to catch double booking. */
class AllocationCheck {
  private readonly sites: string[];
  private readonly nodes: Map<string, FacilityNode>;
  private readonly gpusPerType: Map<string, number>;
  /** `nodeId/gpu` → the running job (index and id) that holds it. */
  private readonly holder = new Map<string, { index: number; id: string }>();

  constructor(
    facility: Facility,
    private readonly issues: InputIssue[],
  ) {
    this.sites = facility.sites.map((s) => s.id);
    this.nodes = new Map(facility.nodes.map((n) => [n.id, n]));
    this.gpusPerType = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  }

  allocation(r: RunningJob, i: number): void {
    const base = ["running", i, "allocation"];
    const { siteId, nodes } = r.allocation;
    if (!this.sites.includes(siteId)) {
      this.issues.push(issueAt([...base, "site"], unknownReference("site", siteId, this.sites)));
      return;
    }
    let nodeType: string | null = null;
    nodes.forEach((na, k) => {
      const at = [...base, "nodes", k];
      const node = this.nodes.get(na.nodeId);
      if (node === undefined) {
        this.issues.push(issueAt([...at, "node"], `unknown node '${na.nodeId}'`));
        return;
      }
      if (node.siteId !== siteId) {
        this.issues.push(
          issueAt([...at, "node"], `node ${na.nodeId} is at site ${node.siteId}, not ${siteId}`),
        );
        return;
      }
      // The scheduler places a job on one node type (one GPUs-per-node figure), so it never spans two.
      nodeType ??= node.nodeTypeId;
      if (node.nodeTypeId !== nodeType) {
        this.issues.push(
          issueAt(
            [...at, "node"],
            `is a ${node.nodeTypeId} node; a job's nodes are all of one node type (here ${nodeType})`,
          ),
        );
      }
      const count = this.gpusPerType.get(node.nodeTypeId) ?? 0;
      na.gpus.forEach((gpu, g) => {
        if (gpu >= count) {
          this.issues.push(
            issueAt([...at, "gpus", g], `node ${na.nodeId} has GPUs 0 to ${count - 1}, not ${gpu}`),
          );
          return;
        }
        const key = `${na.nodeId}/${gpu}`;
        const other = this.holder.get(key);
        if (other !== undefined) {
          this.issues.push(
            issueAt(
              [...at, "gpus", g],
              `GPU ${gpu} on node ${na.nodeId} is already held by running[${other.index}] (${other.id})`,
            ),
          );
        } else this.holder.set(key, { index: i, id: r.job.id });
      });
    });
    const sizeProblem = sizeMismatch(r);
    if (sizeProblem !== null) this.issues.push(issueAt(base, sizeProblem));
  }
}

/** Whether the GPUs held match the job's size: a gang exactly, a GPU count in total. */
function sizeMismatch(r: RunningJob): string | null {
  const { shape } = r.job;
  const held = r.allocation.nodes.map((n) => n.gpus.length);
  const total = held.reduce((a, b) => a + b, 0);
  if (shape.kind === "share" || shape.kind === "mig") {
    const milli = shapeMilli(shape);
    const [node, ...more] = r.allocation.nodes;
    return more.length === 0 && node?.gpus.length === 1 && node.gpuMilli === milli
      ? null
      : `holds ${r.allocation.nodes.map((n) => n.gpuMilli ?? `${n.gpus.length} GPUs`).join(" + ")} but the job asks for ${milli} thousandths of one GPU`;
  }
  if (shape.kind === "gpus") {
    return total === shape.gpus ? null : `holds ${total} GPUs but the job asks for ${shape.gpus}`;
  }
  const exact = held.length === shape.nodes && held.every((g) => g === shape.gpusPerNode);
  return exact
    ? null
    : `holds ${held.join(" + ")} GPUs on ${held.length} nodes but the job is a gang of ` +
        `${shape.nodes} nodes × ${shape.gpusPerNode} GPUs`;
}
