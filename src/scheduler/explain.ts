// Decisions as sentences for people: what `fjord explain` prints for every waiting job and start. Pure
// rendering of the structured reasons in decisions.ts; adapters that filter or count use the structure.
//
// The first word says how to read the rest: `waiting:` clears up by itself as jobs end, `reserved:` has a
// time and exact GPUs held, `deferred:` waits by the job's own opt-in until the hours deferral chose,
// `never fits:` / `never runs:` will not change without new hardware or input.

import { formatCount, formatGpus, formatInt, formatOneDecimal, formatUtcMinute } from "../model/format.ts";
import { heldGpus } from "../model/job-shape.ts";
import type { StartDecision, TopologyScope, WaitingReason } from "./decisions.ts";

/** `no-room` names the level the job waits at; at site level a whole site must have the room in one place. */
const SCOPE_PLACE: Record<TopologyScope, string> = {
  node: "node",
  "nvlink-domain": "NVLink domain",
  "network-block": "network block",
  site: "allowed site",
};

/** One sentence for a waiting job. `estimatedStartAtMs` is the decision's estimate, shown where it adds to the reason. */
export function describeWaiting(reason: WaitingReason, estimatedStartAtMs: number | null): string {
  switch (reason.kind) {
    case "not-yet":
      // The estimate equals the window's opening unless the scheduler expects a queue behind it.
      return waiting(
        `start window opens ${formatUtcMinute(reason.notBeforeAtMs)}`,
        estimatedStartAtMs === reason.notBeforeAtMs ? null : estimatedStartAtMs,
      );
    case "deferred":
      return (
        `deferred: ${Math.round(reason.saving * 100)} % ${reason.signal === "carbon" ? "cleaner" : "cheaper"} ` +
        `hours from ${formatUtcMinute(reason.untilAtMs)}` +
        (reason.deadlineAtMs === null ? "" : `, deadline ${formatUtcMinute(reason.deadlineAtMs)}`)
      );
    case "unknown-tenant":
      return `never runs: tenant ${reason.tenantId} is not defined in the policy`;
    case "no-eligible-site":
      return `never runs: no site may take this job: ${reason.detail}`;
    case "too-large":
      return (
        `never fits: needs ${gpuCount(reason.gpus)}, ` +
        `the largest ${SCOPE_PLACE[reason.scope]} holds ${formatInt(reason.largestGpus)}`
      );
    case "too-few-nodes":
      return (
        `never fits: needs ${formatCount(reason.nodes, "node")} with ${formatCount(reason.gpusPerNode, "GPU")} each, ` +
        `the largest ${SCOPE_PLACE[reason.scope]} has ${formatCount(reason.largestNodes, "such node")}`
      );
    case "tenant-quota":
      if (reason.gpus > reason.quotaGpus)
        return (
          `never runs: needs ${gpuCount(reason.gpus)}, ` +
          `more than tenant ${reason.tenantId}'s quota of ${formatInt(reason.quotaGpus)}`
        );
      return waiting(
        `tenant ${reason.tenantId} would go past its GPU quota ` +
          `(${formatGpus(reason.usedGpus)}/${formatInt(reason.quotaGpus)} GPUs in use; ` +
          `this job needs ${formatGpus(reason.gpus)} more)`,
        estimatedStartAtMs,
      );
    case "quota-held":
      return waiting(
        `tenant ${reason.tenantId} keeps ${gpuCount(reason.heldGpus)} of its quota for its earlier ` +
          `job ${reason.heldForJobId} (${formatGpus(reason.usedGpus)}/${formatInt(reason.quotaGpus)} GPUs in use; ` +
          `this job needs ${formatGpus(reason.gpus)} more)`,
        estimatedStartAtMs,
      );
    case "quota-borrowing":
      return waiting(
        `tenant ${reason.tenantId}'s quota is borrowable and this job would take it past it ` +
          `(${formatGpus(reason.usedGpus)}/${formatInt(reason.quotaGpus)} GPUs in use; this job needs ` +
          `${formatGpus(reason.gpus)} more): it runs only on idle GPUs, and none hold it now`,
        estimatedStartAtMs,
      );
    case "borrowing-limit":
      if (reason.gpus > reason.guaranteedGpus + reason.limitGpus)
        return (
          `never runs: needs ${gpuCount(reason.gpus)}, more than tier ${reason.tierId} may ever hold ` +
          `(${formatInt(reason.guaranteedGpus)} guaranteed + ${formatInt(reason.limitGpus)} borrowed)`
        );
      return waiting(
        `tier ${reason.tierId} is at its borrowing limit ` +
          `(${formatGpus(reason.borrowedGpus)}/${formatInt(reason.limitGpus)} GPUs borrowed; ` +
          `this job needs ${formatGpus(reason.gpus)} more)`,
        estimatedStartAtMs,
      );
    case "no-room":
      return waiting(noRoom(reason.scope, reason.gpus, reason.gpuModels), estimatedStartAtMs);
    case "reserved":
      // The reservation time is exact, so the estimate (the same instant) is not repeated.
      return (
        `reserved: ${gpuCount(reason.gpus)} at ${reason.siteId} from ${formatUtcMinute(reason.startAtMs)}; ` +
        "smaller jobs may run there only if they finish first"
      );
    case "preemption-not-worth":
      return waiting(
        `preempting would destroy ${gpuHours(reason.lostGpuS)} GPU-hours of un-checkpointed work ` +
          `to gain ${gpuHours(reason.gainGpuS)}`,
        estimatedStartAtMs,
      );
    default: {
      // A new reason kind makes `reason` non-never here, so it fails to compile until it gets a sentence.
      const unhandled: never = reason;
      throw new Error(`no sentence for waiting reason ${JSON.stringify(unhandled)}`);
    }
  }
}

/** E.g. `start on 576 nodes (2,304 GPUs) at no-kvandal, borrowing, backfilled, preempting job-x, job-y`. */
export function describeStart(start: StartDecision): string {
  const { nodes, siteId } = start.allocation;
  const gpus = nodes.reduce((sum, n) => sum + heldGpus(n), 0);
  const head = `start on ${formatCount(nodes.length, "node")} (${gpuCount(gpus)}) at ${siteId}`;
  return [head, ...startFlags(start)].join(", ");
}

/** The flags that apply to a start, in a fixed order: `borrowing`, `backfilled`, `preempting a, b`. */
export function startFlags(start: StartDecision): string[] {
  const flags: string[] = [];
  if (start.borrowing) flags.push("borrowing");
  if (start.backfilled) flags.push("backfilled");
  if (start.preempted.length > 0) flags.push(`preempting ${start.preempted.join(", ")}`);
  return flags;
}

function waiting(why: string, estimatedStartAtMs: number | null): string {
  const estimate =
    estimatedStartAtMs === null ? "" : `; estimated start ${formatUtcMinute(estimatedStartAtMs)}`;
  return `waiting: ${why}${estimate}`;
}

/** "1 GPU", "8 GPUs", "0.25 GPU": GPUs with their noun, a share of one GPU singular. */
function gpuCount(gpus: number): string {
  return `${formatGpus(gpus)} ${gpus <= 1 ? "GPU" : "GPUs"}`;
}

function noRoom(scope: TopologyScope, gpus: number, gpuModels: readonly string[]): string {
  const models = gpuModels.length === 0 ? "" : `${gpuModels.join(" or ")} `;
  // A share of one GPU waits for one GPU with that much room.
  if (gpus < 1) return `no ${models}GPU has ${formatGpus(gpus)} of it free`;
  const what = `${formatInt(gpus)} free ${models}${gpus === 1 ? "GPU" : "GPUs"}`;
  return scope === "site"
    ? `no ${SCOPE_PLACE[scope]} has ${what} in one place`
    : `no ${SCOPE_PLACE[scope]} has ${what}`;
}

function gpuHours(gpuS: number): string {
  return formatOneDecimal(gpuS / 3600);
}
