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
  /**
   * Whether jobs may share one GPU of this type, each asking for a share of it in thousandths
   * (`JobShape` kind "share"). A shared GPU never takes a whole-GPU job. Absent = no.
   */
  gpuSharing?: boolean;
  /**
   * MIG-style partitions one GPU of this type may be split into, by profile name (`<slices>g.<memory>gb`,
   * out of 7 compute slices, e.g. "1g.10gb", "3g.40gb", "7g.80gb"). A partitioned GPU holds only such
   * instances, never a whole-GPU job or a fractional share. Absent = not partitioned.
   */
  migProfiles?: string[];
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
  /**
   * How the site turns IT power into facility power, water, reusable heat and emissions, and what it reports
   * (docs/energy.md). Facility files always set it; facilities built in code (traces, tests) may leave it out,
   * and accounting then uses the documented defaults.
   */
  energy?: SiteEnergy;
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
  /** How busy jobs' GPUs are, for energy accounting; absent = the documented defaults. */
  gpuUtilisation?: GpuUtilisationModel;
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

/**
 * `hard`: the tenant never holds more than its quota. `borrowable`: it may hold more while GPUs are idle,
 * as a Kueue ClusterQueue borrows its cohort's unused quota; GPUs above the quota are taken back by
 * preemption when a job within its own tenant's quota and its tier's guarantee needs them.
 */
export type QuotaMode = "hard" | "borrowable";

export interface Tenant {
  id: string;
  name: string;
  tierId: string;
  /** Fair-share weight inside the tier (default 1). */
  weight: number;
  /** Most GPUs the tenant may hold at once at facility-operated sites; null = no quota. */
  quotaGpus: number | null;
  /** Whether the quota is a hard cap or may be exceeded on idle GPUs (QuotaMode); absent = hard. */
  quotaMode?: QuotaMode;
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
  /** Carbon- or price-aware deferral of jobs that opt in (docs/energy.md); absent = no job is deferred. */
  deferral?: DeferralPolicy;
  /** Preemption's thrash guard; absent = the default (victim-order.ts, docs/scheduling.md). */
  preemption?: {
    /** A running job is never preempted before it has run this long. */
    minRuntimeS: number;
  };
}

/** Which hourly signal deferral minimises: grid carbon intensity or the day-ahead price. */
export type DeferralSignal = "carbon" | "price";

export interface DeferralPolicy {
  signal: DeferralSignal;
  /** Smallest drop in the signal's mean over the run worth waiting for, as a share of now's mean (0…1). */
  minSaving: number;
  /** Longest wait for a job without a deadline; a job with one may wait as long as it still ends by it. */
  maxDelayS: number;
}

/** A deferral applied at submission: the job's earliest start was raised to `untilAtMs`. */
export interface JobDeferral {
  untilAtMs: number;
  signal: DeferralSignal;
  /** Drop of the signal's mean over the run against starting at once, as a share (0…1). */
  saving: number;
  deadlineAtMs: number | null;
  /**
   * The earliest start the submission asked for, which the deferral replaced; absent before the job is
   * stored deferred (and in jobs stored before Fjord kept it).
   */
  requestedNotBeforeAtMs?: number | null;
}

/** Where a job may be placed relative to the interconnect. `auto` = the tightest level its size fits. */
export type TopologyRequirement = "auto" | "nvlink-domain" | "network-block" | "site";

export type JobShape =
  /** All-or-nothing gang: exactly `nodes` nodes with `gpusPerNode` GPUs each. */
  | { kind: "gang"; nodes: number; gpusPerNode: number }
  /** A number of GPUs, packed onto as few nodes as possible. */
  | { kind: "gpus"; gpus: number }
  /** A share of one GPU in thousandths (1–999), on a GPU type that allows sharing (NodeType.gpuSharing). */
  | { kind: "share"; gpuMilli: number }
  /** One MIG instance of a GPU, by profile (NodeType.migProfiles), on a GPU type that is partitioned. */
  | { kind: "mig"; profile: string };

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
  /**
   * Set for jobs that opted into deferral, once decided at submission: the deferral applied, or null when
   * waiting would not save enough. Absent for every other job.
   */
  deferral?: JobDeferral | null;
  /** What the job runs on a real cluster; absent or null = none given (a site's default command runs). */
  command?: JobCommand | null;
}

/** What a job runs on its nodes: a program and its arguments, as given (no shell ever reads them). */
export interface JobCommand {
  argv: string[];
  /** Absolute working directory on the nodes; null = the site's. */
  workDir: string | null;
  /**
   * Environment variables of the job, sorted by name. A list rather than an object, so no variable name
   * (`__proto__`, `constructor`) is ever read as a property.
   */
  env: { name: string; value: string }[];
  /** Absolute paths of the job's stdout and stderr on the nodes; null = the site's (stderr: with stdout). */
  stdoutPath: string | null;
  stderrPath: string | null;
}

/** The exact GPUs a job holds: GPU indices on each node. */
export interface NodeAllocation {
  nodeId: string;
  gpus: number[];
  /** On a shared GPU (one index in `gpus`): the thousandths of it held. Absent = whole GPUs. */
  gpuMilli?: number;
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

// ---------------------------------------------------------------------------------------------------------
// Energy, water, heat and carbon (src/accounting, docs/energy.md). Shares are 0…1; temperatures are °C.

/**
 * Utilisation u of a busy GPU: it draws gpuIdlePowerW + u × (gpuMaxPowerW − gpuIdlePowerW). By job kind (the
 * job's `class` label); a job's `gpuUtilisation` label overrides both.
 */
export interface GpuUtilisationModel {
  default: number;
  byKind: Record<string, number>;
}

/** One cooling path: heat it carries, the outdoor temperature it needs for free cooling, and its fans/pumps. */
export interface CoolingPath {
  /** Outdoor temperature up to which the path rejects heat without chillers. */
  freeCoolingMaxC: number;
  /** Pumps and fans: W of electricity per W of heat carried, in free cooling and under chillers alike. */
  auxPowerShare: number;
}

export interface CoolingModel {
  /** Share of IT heat the direct-to-chip liquid loop carries; the rest is air-cooled. */
  liquidShare: number;
  liquid: CoolingPath;
  air: CoolingPath;
  /** Above a path's free-cooling limit, chillers take over linearly over this many kelvin. */
  mechanicalBlendK: number;
  /** Heat removed per unit of chiller electricity. */
  chillerCop: number;
}

export interface ElectricalModel {
  /** UPS output / input; IT energy is metered at the UPS outputs. */
  upsEfficiency: number;
  /** Of everything drawn through the site's transformers. */
  transformerEfficiency: number;
  /** Lighting, offices, security: a constant load outside IT and cooling. */
  auxiliaryPowerW: number;
  /** Energy from back-up generators in the reporting year (EDC-BG); Fjord does not model outages. */
  backupGeneratorKWh: number;
}

export interface WaterModel {
  /** Make-up water of the closed loops per kWh of IT energy. */
  makeUpLPerKWh: number;
  /** Outdoor temperature from which the dry coolers are sprayed (adiabatic assist). */
  adiabaticFromC: number;
  /** Water evaporated per kWh of heat rejected while sprayed. */
  adiabaticLPerKWh: number;
  /** WUE of the evaporative-cooled facility the water saved is measured against. */
  baselineWueLPerKWh: number;
  /** Share of the water input that is potable (WIN-POT / WIN). */
  potableShare: number;
}

export type HeatOfftakerKind = "district-heating" | "fish-farm" | "greenhouse" | "industry";

/** A neighbour that takes waste heat, e.g. a district-heating network or a fish farm. */
export interface HeatOfftaker {
  id: string;
  kind: HeatOfftakerKind;
  /** Heat taken in the peak hour. */
  peakPowerW: number;
  /** Share of the peak by calendar month, January first (12 values). */
  monthlyShare: number[];
  /** Share of the peak by hour of the day, UTC (24 values). */
  hourlyShare: number[];
  /** Temperature the offtaker needs; above the supply temperature its heat pump lifts the heat. */
  minTemperatureC: number;
  /** Coefficient of performance of the offtaker's heat pump (used only when it lifts). */
  heatPumpCop: number;
}

export interface HeatRecoveryModel {
  /** Share of IT heat available for hand-over (the liquid loop's heat). */
  capturedShare: number;
  /** Temperature at which captured heat is handed over. */
  supplyTemperatureC: number;
  /** Served in the order listed. */
  offtakers: HeatOfftaker[];
}

/** `ppa`: power purchase agreement; `on-site`: generation inside the boundary; `guarantees-of-origin`: bought and cancelled for grid energy. */
export type RenewableSourceKind = "ppa" | "on-site" | "guarantees-of-origin";

export interface RenewableSource {
  id: string;
  kind: RenewableSourceKind;
  /** A constant power each hour, or a share of each hour's facility energy. */
  amount: { powerW: number } | { share: number };
}

export interface SupplyModel {
  /** Used on-site first, then PPAs, then guarantees of origin, each in the order listed. */
  sources: RenewableSource[];
  /** Market-based factor of grid energy no source covers; null = the grid's own (location-based) intensity. */
  residualMixGPerKWh: number | null;
}

/** `eu-eed`: Delegated Regulation (EU) 2024/1364; `no-nkom`: Norway's data-centre registration; `none`. */
export type ReportingScheme = "eu-eed" | "no-nkom" | "none";

export type DataCentreType = "enterprise" | "colocation" | "co-hosting";

/** Facts about a data centre the regulation asks for that Fjord cannot derive (null = not given). */
export interface DataCentreReporting {
  scheme: ReportingScheme;
  owner: string | null;
  operator: string | null;
  type: DataCentreType | null;
  /** Eurostat local administrative unit code of the location. */
  lauCode: string | null;
  /** ISO 8601 date. */
  operationsStartedOn: string | null;
  totalFloorAreaM2: number | null;
  computerRoomFloorAreaM2: number | null;
  electricalRedundancy: string | null;
  coolingRedundancy: string | null;
  itIntakeAirSetPointC: number | null;
  /** Installed IT power demand; null = the sum of the nodes' full-load power. */
  installedItPowerW: number | null;
}

/** Shapes of the seeded synthetic hourly signals used when no signals file is given. */
export interface SyntheticSignalModel {
  /** Mean outdoor temperature by calendar month, January first (12 values). */
  monthlyMeanTemperatureC: number[];
  /** Half the day's max − min by calendar month (12 values). */
  monthlyDiurnalHalfRangeC: number[];
  /** Standard deviation of day-to-day weather around the monthly mean. */
  weatherNoiseC: number;
  /** Local time − UTC, for the shape of a day. */
  utcOffsetH: number;
  /** Annual mean grid carbon intensity (location-based). */
  carbonIntensityGPerKWh: number;
  /** Relative winter-over-summer swing of carbon intensity (0.3 = ±30 %). */
  carbonSeasonalSwing: number;
  /** Annual mean day-ahead price. */
  spotPriceEurPerMWh: number;
  priceSeasonalSwing: number;
}

export interface SiteEnergy {
  cooling: CoolingModel;
  electrical: ElectricalModel;
  water: WaterModel;
  heatRecovery: HeatRecoveryModel;
  supply: SupplyModel;
  reporting: DataCentreReporting;
  syntheticSignals: SyntheticSignalModel;
}
