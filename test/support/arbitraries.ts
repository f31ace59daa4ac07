// fast-check generators for whole scheduling situations: a random facility, policy, running jobs and
// queue. Running jobs come from an earlier pass of the scheduler itself, so their allocations are real.
import fc from "fast-check";
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../../src/model/types.ts";
import { type CompiledFacility, compileFacility } from "../../src/scheduler/compile-facility.ts";
import { schedule } from "../../src/scheduler/schedule.ts";
import { facility, GB300, H100, job, policy, T0, tenant, tier } from "./build.ts";

export interface Situation {
  facility: Facility;
  compiled: CompiledFacility;
  policy: Policy;
  running: RunningJob[];
  queue: Job[];
  usage: TenantUsage[];
  nowMs: number;
}

const SITE_JURISDICTIONS = [
  ["NO", "EEA"],
  ["FI", "EU", "EEA"],
  ["AE", "GCC"],
];
const RESIDENCY = [["EEA"], ["EU"], ["NO"], ["GCC"], ["EU", "GCC"]];
const REGIONS = ["nordics", "gulf"];
const TENANTS = ["t0", "t1", "t2", "t3", "t4"];

/** The value in one case of `1 + nilWeight`, else the nil value. */
function sometimes<T, N>(arb: fc.Arbitrary<T>, nil: N, nilWeight = 3): fc.Arbitrary<T | N> {
  return fc.oneof({ arbitrary: fc.constant(nil), weight: nilWeight }, { arbitrary: arb, weight: 1 });
}

const siteArb = (k: number) =>
  fc.record({
    id: fc.constant(`s${k}`),
    jurisdictions: fc.constantFrom(...SITE_JURISDICTIONS),
    owner: sometimes(fc.constantFrom(...TENANTS), undefined, 4),
    latencyMs: fc.record({
      nordics: fc.integer({ min: 1, max: 100 }),
      gulf: fc.integer({ min: 1, max: 100 }),
    }),
    racks: fc.integer({ min: 1, max: 4 }),
    nodesPerRack: fc.integer({ min: 1, max: 3 }),
    hgx: fc.boolean(),
    racksPerBlock: fc.integer({ min: 1, max: 3 }),
  });

const jobArb = fc.record({
  tenant: fc.oneof(
    { arbitrary: fc.constantFrom(...TENANTS), weight: 30 },
    { arbitrary: fc.constant("stranger"), weight: 1 },
  ),
  gang: fc.boolean(),
  nodes: fc.integer({ min: 1, max: 6 }),
  gpusPerNode: fc.integer({ min: 1, max: 8 }),
  gpus: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 })),
  model: sometimes(fc.constantFrom(["GB300"], ["H100"], ["GB300", "H100"]), null),
  estimatedRuntimeS: fc.integer({ min: 60, max: 40_000 }),
  slackS: fc.integer({ min: 0, max: 20_000 }),
  priority: fc.integer({ min: 0, max: 3 }),
  residency: sometimes(fc.constantFrom(...RESIDENCY), null, 2),
  latency: sometimes(
    fc.record({ region: fc.constantFrom(...REGIONS), ms: fc.integer({ min: 1, max: 100 }) }),
    null,
    5,
  ),
  checkpointIntervalS: sometimes(fc.integer({ min: 60, max: 7200 }), null, 1),
  notBeforeInS: sometimes(fc.integer({ min: -3600, max: 3600 }), null, 6),
  topology: fc.constantFrom("auto", "auto", "auto", "nvlink-domain", "network-block", "site"),
  submittedAgoS: fc.integer({ min: 0, max: 100_000 }),
});

type JobSpec = typeof jobArb extends fc.Arbitrary<infer T> ? T : never;

function toJob(s: JobSpec, id: string, nowMs: number): Job {
  const j = job(s.tenant, s.gang ? { nodes: s.nodes, gpusPerNode: s.gpusPerNode } : { gpus: s.gpus });
  return {
    ...j,
    id,
    gpuModels: s.model ? [...s.model] : null,
    estimatedRuntimeS: s.estimatedRuntimeS,
    limitS: s.estimatedRuntimeS + s.slackS,
    priority: s.priority,
    residency: s.residency,
    maxLatency: s.latency,
    checkpointIntervalS: s.checkpointIntervalS,
    notBeforeAtMs: s.notBeforeInS === null ? null : nowMs + s.notBeforeInS * 1000,
    topology: s.topology as Job["topology"],
    submittedAtMs: nowMs - s.submittedAgoS * 1000,
  };
}

export const situationArb: fc.Arbitrary<Situation> = fc
  .record({
    sites: fc
      .integer({ min: 1, max: 3 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => siteArb(k)))),
    tiers: fc.array(
      fc.record({
        guaranteed: fc.integer({ min: 0, max: 40 }),
        limit: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        reclaim: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    tenantTiers: fc.array(fc.nat(), { minLength: TENANTS.length, maxLength: TENANTS.length }),
    quotas: fc.array(sometimes(fc.integer({ min: 0, max: 60 }), null), {
      minLength: TENANTS.length,
      maxLength: TENANTS.length,
    }),
    quotaModes: fc.array(fc.constantFrom("hard" as const, "borrowable" as const), {
      minLength: TENANTS.length,
      maxLength: TENANTS.length,
    }),
    weights: fc.array(fc.integer({ min: 1, max: 3 }), {
      minLength: TENANTS.length,
      maxLength: TENANTS.length,
    }),
    usage: fc.array(fc.integer({ min: 0, max: 1000 }), {
      minLength: TENANTS.length,
      maxLength: TENANTS.length,
    }),
    depth: fc.integer({ min: 0, max: 4 }),
    earlier: fc.array(jobArb, { maxLength: 40 }),
    // Often only some tenants had work earlier, so their tiers borrowed what others now want back.
    earlierTenants: fc.subarray(TENANTS, { minLength: 1 }),
    // In half the cases the first tier comes back for its guarantee after others borrowed everything.
    reclaim: fc.boolean(),
    // In half the others one tenant borrowed everything above a borrowable quota, and another wants room.
    quotaReclaim: fc.boolean(),
    startedAgoS: fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 40, maxLength: 40 }),
    queue: fc.array(jobArb, { maxLength: 30 }),
  })
  .map((g) => {
    const f = facility(
      ...g.sites.map((s) => ({
        id: s.id,
        jurisdictions: s.jurisdictions,
        owner: s.owner,
        latencyMs: s.latencyMs,
        racks: s.racks,
        nodesPerRack: s.nodesPerRack,
        nodeType: s.hgx ? H100 : GB300,
        nvlink: s.hgx ? ("node" as const) : ("rack" as const),
        racksPerBlock: s.racksPerBlock,
      })),
    );
    const facilityGpus = f.nodes.reduce((a, n) => a + (n.nodeTypeId === H100.id ? 8 : 4), 0);
    const quotaReclaim = g.quotaReclaim && !g.reclaim;
    // Quota reclaim: every tier is guaranteed the whole facility, so only the quota stands in the way.
    const tiers = g.tiers.map((t, k) =>
      quotaReclaim
        ? tier(`tier${k}`, facilityGpus, { reclaimByPreemption: true })
        : tier(`tier${k}`, g.reclaim ? (k === 0 ? Math.ceil(facilityGpus / 2) : 0) : t.guaranteed, {
            borrowingLimit: t.limit === null || (g.reclaim && k > 0) ? null : { gpus: t.limit },
            reclaimByPreemption: t.reclaim || (g.reclaim && k === 0),
          }),
    );
    const tenantTiers = g.reclaim ? [0, ...g.tenantTiers.slice(1)] : g.tenantTiers;
    const borrower = quotaReclaim
      ? { quotaGpus: Math.ceil(facilityGpus / 4), quotaMode: "borrowable" as const }
      : {};
    const p = policy(
      tiers,
      TENANTS.map((id, k) =>
        tenant(id, tiers[tenantTiers[k]! % tiers.length]!.id, {
          quotaGpus: g.quotas[k]!,
          quotaMode: g.quotaModes[k]!,
          weight: g.weights[k]!,
          ...(k === 1 ? borrower : {}),
        }),
      ),
      { backfill: { reservationDepth: g.depth } },
    );
    const compiled = compileFacility(f);
    // An earlier pass decides what is running now.
    const earlierAtMs = T0 - 20_000_000;
    const tierOfTenant = (k: number) => tenantTiers[k]! % tiers.length;
    const borrowers = TENANTS.filter((_, k) => tierOfTenant(k) !== 0);
    const earlierTenants = quotaReclaim
      ? [TENANTS[1]!]
      : g.reclaim && borrowers.length > 0
        ? borrowers
        : g.earlierTenants;
    const earlier = g.earlier.map((s, k) =>
      toJob({ ...s, tenant: earlierTenants[k % earlierTenants.length]! }, `r${k}`, earlierAtMs),
    );
    const first = schedule({
      facility: compiled,
      policy: p,
      queue: earlier,
      running: [],
      usage: [],
      nowMs: earlierAtMs,
    });
    const byId = new Map(earlier.map((j) => [j.id, j]));
    const nowMs = T0;
    const running: RunningJob[] = first.start.map((s, k) => {
      const j = byId.get(s.jobId)!;
      // Keep each running job inside its limit at `now`.
      const ago = Math.min(g.startedAgoS[k % 40]!, j.limitS - 1);
      return { job: j, startedAtMs: nowMs - ago * 1000, allocation: s.allocation };
    });
    const queue = g.queue.map((s, k) =>
      toJob((g.reclaim || quotaReclaim) && k % 2 === 0 ? { ...s, tenant: TENANTS[0]! } : s, `q${k}`, nowMs),
    );
    const usage = TENANTS.map((id, k) => ({
      tenantId: id,
      decayedGpuHours: g.usage[k]!,
      atMs: nowMs - 3600_000,
    }));
    return { facility: f, compiled, policy: p, running, queue, usage, nowMs };
  });
