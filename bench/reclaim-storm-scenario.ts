// A reclaim storm on the default facility: nearly every GPU held by tiers that borrowed beyond their
// guarantee, and tens of thousands of jobs queued by the tiers that take their guarantees back by
// preemption. It is the state in which a full pass once took 12–30 s: every queued job of a reclaiming
// tier below its guarantee asks the preemption search for victims.
//
// The policy is policies/default.yaml as it stands. Its global tier's quotas (16,384 + 4,096 GPUs) are too
// small for that tier to hold most of the facility, so the global tier's running jobs here exceed them: the
// state after a burst admitted under larger quotas that an operator has since lowered. A pass never checks
// running jobs against quotas (they only hold back new starts), and the queue holds no global-tier job.
//
// Running jobs are placed here, not by an earlier pass: a pass cannot be told "this many jobs, this full",
// and a storm needs both. Small jobs share trays, gangs take whole trays of one rack (NVLink domain),
// and a few take whole adjacent racks of one network block, as the scheduler would place them. Pure and
// seeded apart from reading the two files: the same options give the same scenario on every machine.
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import type { Facility, Job, JobShape, Policy, RunningJob, Tenant, TenantUsage } from "../src/model/types.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { type CompiledFacility, compileFacility } from "../src/scheduler/compile-facility.ts";
import { resolvePolicy } from "../src/scheduler/policy-limits.ts";
import { mulberry32, type Rng } from "../src/workloads/prng.ts";
import { syntheticQueue } from "../src/workloads/synthetic-queue.ts";
import { FACILITY_FILE, NOW_MS, POLICY_FILE } from "./scenario.ts";

export interface ReclaimStormOptions {
  queued: number;
  running: number;
  seed?: number;
  /** Share of the facility-operated GPUs the running jobs hold (default 0.97). */
  occupancy?: number;
}

export interface ReclaimStormScenario {
  facility: Facility;
  compiled: CompiledFacility;
  policy: Policy;
  running: RunningJob[];
  queued: Job[];
  usage: TenantUsage[];
  nowMs: number;
  /** GPUs of up nodes at facility-operated sites. */
  facilityGpus: number;
  heldGpus: number;
  /** GPUs the running jobs hold, by tier id. */
  heldGpusByTier: Map<string, number>;
}

const DEFAULT_SEED = 20261206;
const DEFAULT_OCCUPANCY = 0.97;
/** The reclaiming national tier keeps a little of its guarantee busy; the borrowers hold the rest. */
const NATIONAL_SHARE = 0.1;
const MIN_S = 60;
const HOUR_S = 3600;
const DAY_S = 86_400;

export function reclaimStormScenario(options: ReclaimStormOptions): ReclaimStormScenario {
  const { queued, running } = options;
  for (const [field, value] of [
    ["queued", queued],
    ["running", running],
  ] as const)
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`reclaimStormScenario: ${field} must be a natural number, got ${value}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const occupancy = options.occupancy ?? DEFAULT_OCCUPANCY;
  if (!(occupancy > 0 && occupancy <= 1))
    throw new Error(`reclaimStormScenario: occupancy must be in (0, 1], got ${occupancy}`);

  const facility = loadFacilityFile(FACILITY_FILE);
  const compiled = compileFacility(facility);
  const policy = loadPolicyFile(POLICY_FILE);
  const rng = mulberry32(seed);
  const { jobs, heldGpus, heldGpusByTier, facilityGpus } = placeRunning(
    rng,
    compiled,
    policy,
    running,
    occupancy,
  );
  const reclaiming = new Set(policy.tiers.filter((t) => t.reclaimByPreemption).map((t) => t.id));
  const queue = syntheticQueue({
    seed: (seed ^ 0x9e3779b9) >>> 0,
    count: queued,
    tenants: policy.tenants.filter((t) => reclaiming.has(t.tierId)),
    nowMs: NOW_MS,
    gpuModels: compiled.gpuModels,
    idPrefix: "storm",
  });
  // Past usage differs by tenant so fair-share keys are not all equal.
  const usage: TenantUsage[] = policy.tenants.map((t, k) => ({
    tenantId: t.id,
    decayedGpuHours: 4_000 * ((k * 3) % 7),
    atMs: NOW_MS - 6 * HOUR_S * 1000,
  }));
  return {
    facility,
    compiled,
    policy,
    running: jobs,
    queued: queue,
    usage,
    nowMs: NOW_MS,
    facilityGpus,
    heldGpus,
    heldGpusByTier,
  };
}

/** Where the running jobs go: free nodes per NVLink domain, filled from the domain's first node on. */
interface Packer {
  cf: CompiledFacility;
  /** Facility-operated domains in physical order. */
  domains: number[];
  /** Nodes of each domain already handed out (whole nodes, from the front). */
  usedNodes: Map<number, number>;
  /** The node small jobs are being packed onto, and its next free GPU. */
  smallNode: number;
  smallGpu: number;
}

interface Placed {
  siteId: string;
  nodes: { nodeId: string; gpus: number[] }[];
  gpus: number;
}

function placeRunning(
  rng: Rng,
  cf: CompiledFacility,
  policy: Policy,
  count: number,
  occupancy: number,
): {
  jobs: RunningJob[];
  heldGpus: number;
  heldGpusByTier: Map<string, number>;
  facilityGpus: number;
} {
  const limits = resolvePolicy(policy, cf.facilityGpus);
  const domains: number[] = [];
  let facilityGpus = 0;
  for (const pool of cf.pools) {
    if (cf.siteOwner[pool.siteIndex] !== null) continue;
    for (const d of pool.domains) {
      if (![...cf.domainNodes[d]!].every((i) => cf.nodeUp[i] === 1)) continue;
      domains.push(d);
      facilityGpus += cf.domainGpus[d]!;
    }
  }
  const packer: Packer = { cf, domains, usedNodes: new Map(), smallNode: -1, smallGpu: 0 };
  const targetGpus = Math.floor(occupancy * facilityGpus);

  // GPU budgets per tier: national a little, nordic-european its guarantee plus all it may borrow, and
  // the global tier everything else.
  const tierIds = policy.tiers.map((t) => t.id);
  const budget = new Map<string, number>();
  const nationalIdx = tierIds.indexOf("national");
  const nordicIdx = tierIds.indexOf("nordic-european");
  if (nationalIdx < 0 || nordicIdx < 0 || !tierIds.includes("global"))
    throw new Error("reclaimStormScenario: the policy needs the tiers national, nordic-european and global");
  budget.set("national", Math.floor(NATIONAL_SHARE * targetGpus));
  budget.set(
    "nordic-european",
    Math.min(
      targetGpus,
      limits.guaranteedGpus[nordicIdx]! + Math.min(targetGpus, limits.borrowingLimitGpus[nordicIdx]!),
    ),
  );
  budget.set("global", Math.max(0, targetGpus - budget.get("national")! - budget.get("nordic-european")!));
  const tenantHeld = new Map<string, number>();
  const heldGpusByTier = new Map<string, number>(tierIds.map((t) => [t, 0]));

  const jobs: RunningJob[] = [];
  let heldGpus = 0;
  for (let k = 0; k < count; k++) {
    const wantedGpus = Math.max(1, (targetGpus - heldGpus) / (count - k));
    // Past the last room for gangs, a job becomes a single GPU: the facility is nearly full by then.
    let shape = drawShape(rng, wantedGpus);
    let placed = place(packer, shape);
    if (!placed) {
      shape = { kind: "gpus", gpus: 1 };
      placed = place(packer, shape);
    }
    if (!placed)
      throw new Error(
        `reclaimStormScenario: ${count} running jobs do not fit on ${facilityGpus} GPUs (${k} placed)`,
      );
    const tenant = pickTenant(rng, policy.tenants, budget, heldGpusByTier, tenantHeld, placed.gpus);
    tenantHeld.set(tenant.id, (tenantHeld.get(tenant.id) ?? 0) + placed.gpus);
    heldGpusByTier.set(tenant.tierId, heldGpusByTier.get(tenant.tierId)! + placed.gpus);
    heldGpus += placed.gpus;
    jobs.push(runningJob(rng, k, tenant, shape, placed));
  }
  return { jobs, heldGpus, heldGpusByTier, facilityGpus };
}

/** Half small jobs, the rest gangs of trays, racks and a few multi-rack gangs, scaled to the wanted mean. */
function drawShape(rng: Rng, wantedMeanGpus: number): JobShape {
  // The unscaled mix below averages ~23 GPUs a job.
  const scale = Math.max(0.25, wantedMeanGpus / 23);
  const kind = rng.weighted([
    ["small", 50],
    ["trays", 35],
    ["rack", 12],
    ["racks", 3],
  ] as const);
  if (kind === "small") return { kind: "gpus", gpus: rng.pick([1, 2, 4]) };
  if (kind === "trays")
    return { kind: "gang", nodes: clamp(Math.round(rng.int(2, 8) * scale), 2, 18), gpusPerNode: 4 };
  if (kind === "rack")
    return { kind: "gang", nodes: clamp(Math.round(rng.int(9, 18) * scale), 2, 18), gpusPerNode: 4 };
  return { kind: "gang", nodes: 18 * clamp(Math.round(rng.int(2, 6) * scale), 2, 8), gpusPerNode: 4 };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function place(p: Packer, shape: JobShape): Placed | null {
  if (shape.kind === "gpus") return placeSmall(p, shape.gpus);
  if (shape.kind === "share" || shape.kind === "mig")
    throw new Error("the storm scenario has no shared GPUs");
  if (shape.nodes <= 18) return placeInDomain(p, shape.nodes);
  return placeRacks(p, shape.nodes / 18);
}

function siteOf(cf: CompiledFacility, node: number): string {
  return cf.sites[cf.pools[cf.nodePool[node]!]!.siteIndex]!.id;
}

function wholeNodes(cf: CompiledFacility, nodes: number[]): Placed {
  const out = nodes.map((i) => ({
    nodeId: cf.nodeIds[i]!,
    gpus: Array.from({ length: cf.nodeGpus[i]! }, (_, g) => g),
  }));
  return { siteId: siteOf(cf, nodes[0]!), nodes: out, gpus: out.reduce((a, n) => a + n.gpus.length, 0) };
}

/** Takes `n` whole nodes from the first domain that has them. */
function takeNodes(p: Packer, n: number): number[] | null {
  for (const d of p.domains) {
    const nodes = p.cf.domainNodes[d]!;
    const used = p.usedNodes.get(d) ?? 0;
    if (nodes.length - used < n) continue;
    p.usedNodes.set(d, used + n);
    return Array.from(nodes.subarray(used, used + n));
  }
  return null;
}

function placeInDomain(p: Packer, n: number): Placed | null {
  const nodes = takeNodes(p, n);
  return nodes ? wholeNodes(p.cf, nodes) : null;
}

/** Small jobs share one node at a time; a job that does not fit in what is left of it starts a new one. */
function placeSmall(p: Packer, gpus: number): Placed | null {
  const { cf } = p;
  if (p.smallNode < 0 || p.smallGpu + gpus > cf.nodeGpus[p.smallNode]!) {
    const next = takeNodes(p, 1);
    if (!next) return null;
    p.smallNode = next[0]!;
    p.smallGpu = 0;
  }
  const first = p.smallGpu;
  p.smallGpu += gpus;
  return {
    siteId: siteOf(cf, p.smallNode),
    nodes: [{ nodeId: cf.nodeIds[p.smallNode]!, gpus: Array.from({ length: gpus }, (_, g) => first + g) }],
    gpus,
  };
}

/** Takes `racks` untouched, adjacent domains of one network block. */
function placeRacks(p: Packer, racks: number): Placed | null {
  const { cf, domains } = p;
  for (let s = 0; s + racks <= domains.length; s++) {
    const run = domains.slice(s, s + racks);
    const block = cf.domainBlock[run[0]!]!;
    if (!run.every((d) => cf.domainBlock[d] === block && (p.usedNodes.get(d) ?? 0) === 0)) continue;
    for (const d of run) p.usedNodes.set(d, cf.domainNodes[d]!.length);
    return wholeNodes(
      cf,
      run.flatMap((d) => Array.from(cf.domainNodes[d]!)),
    );
  }
  return null;
}

/** A tenant of a tier that still has budget, with quota room for `gpus`, weighted by budget left. */
function pickTenant(
  rng: Rng,
  tenants: readonly Tenant[],
  budget: Map<string, number>,
  heldByTier: Map<string, number>,
  heldByTenant: Map<string, number>,
  gpus: number,
): Tenant {
  // The global tier holds more than its quotas (see the header); every other tenant stays within its own.
  const fits = (t: Tenant) =>
    t.tierId === "global" || t.quotaGpus === null || (heldByTenant.get(t.id) ?? 0) + gpus <= t.quotaGpus;
  const tierWeights: [string, number][] = [];
  for (const [tier, b] of budget) {
    const left = b - heldByTier.get(tier)!;
    if (left >= gpus && tenants.some((t) => t.tierId === tier && fits(t))) tierWeights.push([tier, left]);
  }
  // Past every budget (rounding at the end), the global tier takes what is left: it has no limit.
  const tier = tierWeights.length > 0 ? rng.weighted(tierWeights) : "global";
  const candidates = tenants.filter((t) => t.tierId === tier && fits(t));
  if (candidates.length === 0) throw new Error(`reclaimStormScenario: no tenant of tier ${tier} has room`);
  return rng.pick(candidates);
}

function runningJob(rng: Rng, k: number, tenant: Tenant, shape: JobShape, placed: Placed): RunningJob {
  const gulf = placed.siteId === "ae-abu-dhabi";
  const residency = gulf ? rng.pick([["GCC"], null]) : rng.pick([["EEA"], ["NO"], null]);
  const estimatedRuntimeS = Math.round(rng.logUniform(HOUR_S, 7 * DAY_S) / MIN_S) * MIN_S;
  const limitS = Math.ceil((estimatedRuntimeS * (1.2 + 0.8 * rng.next())) / MIN_S) * MIN_S;
  // Big jobs nearly always checkpoint; the preemption search weighs the work each would lose.
  const checkpoint = placed.gpus >= 64 ? rng.chance(0.9) : rng.chance(0.3);
  // Started at least an hour before its estimated end: the simulated executor runs a job for its estimate,
  // so every one of these is still running when a restarted service takes them over.
  const agoS = rng.int(MIN_S, Math.max(MIN_S, Math.min(estimatedRuntimeS - HOUR_S, 2 * DAY_S)));
  const startedAtMs = NOW_MS - agoS * 1000;
  return {
    job: {
      id: `storm-run-${String(k).padStart(6, "0")}`,
      tenantId: tenant.id,
      name: `borrowed-${placed.gpus}gpu-${k}`,
      shape,
      gpuModels: shape.kind === "gang" ? ["GB300"] : null,
      estimatedRuntimeS,
      limitS,
      priority: rng.int(0, 3),
      residency,
      maxLatency: null,
      checkpointIntervalS: checkpoint ? rng.pick([15 * MIN_S, 30 * MIN_S, HOUR_S, 2 * HOUR_S]) : null,
      notBeforeAtMs: null,
      deadlineAtMs: null,
      topology: "auto",
      labels: { synthetic: "true", scenario: "reclaim-storm" },
      submittedAtMs: startedAtMs - rng.int(0, HOUR_S) * 1000,
    },
    startedAtMs,
    allocation: { siteId: placed.siteId, nodes: placed.nodes },
  };
}
