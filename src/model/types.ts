// The in-memory model every part of Fjord shares. Inputs (YAML, HTTP, traces) are parsed and validated
// into these types at the edge; inside, the types are trusted.
// Times are UTC epoch milliseconds (`…AtMs`); durations are seconds (`…S`).

/** How a node's GPUs are grouped into NVLink domains. */
export type NvlinkScope = "rack" | "node";

export interface NodeType {
  id: string;
  gpuModel: string;
  gpusPerNode: number;
  gpuMemoryGiB: number;
  gpuIdlePowerW: number;
  gpuMaxPowerW: number;
  cpuCores: number;
  memoryGiB: number;
  /** CPU, memory, NICs and fans of one node at full load, excluding GPUs. */
  nodeOverheadPowerW: number;
}

/** `facility` for sites the facility runs; a tenant id for a tenant's own cluster joined as a site. */
export type SiteOperator = "facility" | { tenantId: string };

export interface Site {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Legal areas the site lies in, e.g. ["NO", "EEA"] or ["AE", "GCC"]. */
  jurisdictions: string[];
  /** Electricity bidding or grid zone, e.g. "NO4". */
  gridZone: string;
  operator: SiteOperator;
  /** Round-trip network latency from the site to named user regions. */
  latencyMs: Record<string, number>;
}

export interface Hall {
  id: string;
  siteId: string;
}

export interface Rack {
  id: string;
  siteId: string;
  hallId: string;
  nodeTypeId: string;
}

export type NodeState = "up" | "down" | "drain";

export interface FacilityNode {
  id: string;
  siteId: string;
  hallId: string;
  rackId: string;
  nodeTypeId: string;
  /** NVLink domain: GPUs inside one talk over NVLink (an NVL72 rack, or one HGX node). */
  domainId: string;
  /** Network block: a leaf/spine group with full bisection bandwidth inside it. */
  blockId: string;
  state: NodeState;
}

/** A facility fully expanded to nodes. Node order is the physical order racks were declared in. */
export interface Facility {
  id: string;
  name: string;
  nodeTypes: NodeType[];
  sites: Site[];
  halls: Hall[];
  racks: Rack[];
  nodes: FacilityNode[];
}

/** An amount of GPUs given either absolutely or as a share of the facility-operated GPUs. */
export type GpuQuantity = { gpus: number } | { share: number };

export interface Tier {
  id: string;
  /** GPUs the tier is entitled to whenever it has work for them. */
  guaranteed: GpuQuantity;
  /** GPUs the tier may use above its guarantee when others leave them idle; null = no limit. */
  borrowingLimit: GpuQuantity | null;
  /** Whether the tier takes back its guaranteed share by preempting other tiers' borrowed jobs. */
  reclaimByPreemption: boolean;
  /** Eligibility rules a tenant must meet to belong to this tier. */
  requires: TierRequirement[];
}

/** `norwegian-org-number`: the tenant must carry a valid Norwegian organisation number. */
export type TierRequirement = "norwegian-org-number";

export interface Tenant {
  id: string;
  name: string;
  tierId: string;
  /** Fair-share weight inside the tier (default 1). */
  weight: number;
  /** Most GPUs the tenant may hold at once at facility-operated sites; null = no quota. */
  quotaGpus: number | null;
  /** Norwegian organisation number (9 digits, MOD11 check digit), when the tenant has one. */
  orgNumber: string | null;
  country: string | null;
}

export interface Policy {
  /** Tiers in priority order: the first is served first. */
  tiers: Tier[];
  tenants: Tenant[];
  fairShare: {
    /** Half-life of the exponential decay applied to past GPU-hours. */
    halfLifeS: number;
  };
  backfill: {
    /** How many blocked jobs, in priority order, hold a reservation that backfill may not delay. */
    reservationDepth: number;
  };
}

/** Where a job may be placed relative to the interconnect. `auto` = the tightest level its size fits. */
export type TopologyRequirement = "auto" | "nvlink-domain" | "network-block" | "site";

export type JobShape =
  /** All-or-nothing gang: exactly `nodes` nodes with `gpusPerNode` GPUs each. */
  | { kind: "gang"; nodes: number; gpusPerNode: number }
  /** A number of GPUs, packed onto as few nodes as possible. */
  | { kind: "gpus"; gpus: number };

export interface Job {
  id: string;
  tenantId: string;
  name: string;
  shape: JobShape;
  /** Allowed GPU models; null = any model. */
  gpuModels: string[] | null;
  estimatedRuntimeS: number;
  /** Hard wall-clock limit; the job is stopped when it reaches it. */
  limitS: number;
  /** Priority among the tenant's own jobs; higher goes first. */
  priority: number;
  /** Jurisdictions the job and its data may be in; null = anywhere. A site qualifies if it lies in any. */
  residency: string[] | null;
  /** Most round-trip latency the job tolerates to a user region; null = no bound. */
  maxLatency: { region: string; ms: number } | null;
  /** Seconds between checkpoints; work since the last one is lost on preemption. null = never checkpoints. */
  checkpointIntervalS: number | null;
  /** Earliest start; null = now. */
  notBeforeAtMs: number | null;
  /** Latest finish the job's owner accepts; null = none. */
  deadlineAtMs: number | null;
  topology: TopologyRequirement;
  labels: Record<string, string>;
  submittedAtMs: number;
}

/** The exact GPUs a job holds: GPU indices on each node. */
export interface NodeAllocation {
  nodeId: string;
  gpus: number[];
}

export interface Allocation {
  siteId: string;
  nodes: NodeAllocation[];
}

export interface RunningJob {
  job: Job;
  startedAtMs: number;
  allocation: Allocation;
}

/** A tenant's past GPU-hours, already decayed to `atMs`. */
export interface TenantUsage {
  tenantId: string;
  decayedGpuHours: number;
  atMs: number;
}
