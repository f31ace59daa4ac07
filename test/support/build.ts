// Small hand-made facilities, policies and jobs for scheduler tests, built in code so each test shows
// exactly the hardware and rules it is about.
import type {
  Facility,
  FacilityNode,
  Job,
  NodeType,
  Policy,
  RunningJob,
  Site,
  Tenant,
  TenantUsage,
  Tier,
} from "../../src/model/types.ts";
import { compileFacility } from "../../src/scheduler/compile-facility.ts";
import type { Decisions } from "../../src/scheduler/decisions.ts";
import { schedule } from "../../src/scheduler/schedule.ts";

export const T0 = Date.parse("2026-12-01T00:00:00Z");

export const GB300: NodeType = {
  id: "gb300",
  gpuModel: "GB300",
  gpusPerNode: 4,
  gpuMemoryGiB: 279,
  gpuIdlePowerW: 200,
  gpuMaxPowerW: 1400,
  cpuCores: 144,
  memoryGiB: 960,
  nodeOverheadPowerW: 1600,
};

export const H100: NodeType = {
  ...GB300,
  id: "h100",
  gpuModel: "H100",
  gpusPerNode: 8,
  gpuMaxPowerW: 700,
  gpuIdlePowerW: 80,
};

export interface SiteSpec {
  id: string;
  jurisdictions?: string[];
  owner?: string;
  latencyMs?: Record<string, number>;
  /** Racks: node type, nodes per rack, NVLink scope, and racks per network block. */
  racks: number;
  nodesPerRack: number;
  nodeType?: NodeType;
  nvlink?: "rack" | "node";
  racksPerBlock?: number;
}

export function facility(...specs: SiteSpec[]): Facility {
  const sites: Site[] = [];
  const nodes: FacilityNode[] = [];
  const types = new Map<string, NodeType>();
  for (const s of specs) {
    const type = s.nodeType ?? GB300;
    types.set(type.id, type);
    sites.push({
      id: s.id,
      name: s.id,
      country: (s.jurisdictions ?? ["NO"])[0]!,
      jurisdictions: s.jurisdictions ?? ["NO", "EEA"],
      gridZone: "NO4",
      operator: s.owner ? { tenantId: s.owner } : "facility",
      latencyMs: s.latencyMs ?? {},
    });
    for (let r = 0; r < s.racks; r++) {
      const rackId = `${s.id}/r${r}`;
      const blockId = `${s.id}/b${Math.floor(r / (s.racksPerBlock ?? s.racks))}`;
      for (let k = 0; k < s.nodesPerRack; k++) {
        const id = `${rackId}n${k}`;
        nodes.push({
          id,
          siteId: s.id,
          hallId: `${s.id}/h`,
          rackId,
          nodeTypeId: type.id,
          domainId: (s.nvlink ?? "rack") === "rack" ? rackId : id,
          blockId,
          state: "up",
        });
      }
    }
  }
  return {
    id: "test",
    name: "test",
    nodeTypes: [...types.values()],
    sites,
    halls: sites.map((s) => ({ id: `${s.id}/h`, siteId: s.id })),
    racks: [...new Set(nodes.map((n) => n.rackId))].map((id) => {
      const n = nodes.find((x) => x.rackId === id)!;
      return { id, siteId: n.siteId, hallId: n.hallId, nodeTypeId: n.nodeTypeId };
    }),
    nodes,
  };
}

export function tier(id: string, guaranteedGpus: number, over: Partial<Tier> = {}): Tier {
  return {
    id,
    guaranteed: { gpus: guaranteedGpus },
    borrowingLimit: null,
    reclaimByPreemption: true,
    requires: [],
    ...over,
  };
}

export function tenant(id: string, tierId: string, over: Partial<Tenant> = {}): Tenant {
  return { id, name: id, tierId, weight: 1, quotaGpus: null, orgNumber: null, country: null, ...over };
}

export function policy(tiers: Tier[], tenants: Tenant[], over: Partial<Policy> = {}): Policy {
  return {
    tiers,
    tenants,
    fairShare: { halfLifeS: 7 * 86400 },
    backfill: { reservationDepth: 16 },
    ...over,
  };
}

let seq = 0;
export function job(
  tenantId: string,
  over: Partial<Job> & { gpus?: number; nodes?: number; gpusPerNode?: number } = {},
): Job {
  const { gpus, nodes, gpusPerNode, ...rest } = over;
  const shape: Job["shape"] =
    nodes !== undefined
      ? { kind: "gang", nodes, gpusPerNode: gpusPerNode ?? 4 }
      : { kind: "gpus", gpus: gpus ?? 4 };
  seq++;
  return {
    id: `j${String(seq).padStart(5, "0")}`,
    tenantId,
    name: "test",
    shape,
    gpuModels: null,
    estimatedRuntimeS: 3600,
    limitS: 3600,
    priority: 0,
    residency: null,
    maxLatency: null,
    checkpointIntervalS: null,
    notBeforeAtMs: null,
    deadlineAtMs: null,
    topology: "auto",
    labels: {},
    submittedAtMs: T0 - 1000 * (100000 - seq),
    ...rest,
  };
}

/** A running job holding whole GPUs given as [nodeId, gpu indices] pairs. */
export function running(j: Job, startedAtMs: number, siteId: string, held: [string, number[]][]): RunningJob {
  return {
    job: j,
    startedAtMs,
    allocation: { siteId, nodes: held.map(([nodeId, gpus]) => ({ nodeId, gpus })) },
  };
}

/** One pass of the pure scheduler over a hand-made situation. */
export function decide(
  f: Facility,
  p: Policy,
  queue: Job[],
  runningJobs: RunningJob[] = [],
  usage: TenantUsage[] = [],
  nowMs = T0,
): Decisions {
  return schedule({ facility: compileFacility(f), policy: p, queue, running: runningJobs, usage, nowMs });
}
