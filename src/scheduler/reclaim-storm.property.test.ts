// A reclaim storm in miniature: a facility full of jobs of tiers borrowing beyond their guarantee, and a
// reclaiming tier with nothing running and a long queue. Whatever the bounded preemption search passes
// over, its decisions must stay valid: no GPU given twice, only borrowers preempted (each victim's tier
// above its guarantee when it was taken), and the reclaiming tier's guarantee taken back in full.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job, RunningJob } from "../model/types.ts";
import { compileFacility } from "./compile-facility.ts";
import { addRunning, createCore, runPass } from "./pass.ts";
import { schedule } from "./schedule.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const GPUS_PER_NODE = 4;
const BORROWER_GUARANTEE_GPUS = 2;

/** How one running job is laid down: its tier's tenant, its shape and how long since its last checkpoint. */
interface Piece {
  tenantId: "nor" | "glo";
  /** 1 or 2 GPUs on one node, one whole node, or a gang of whole nodes in one rack. */
  kind: "small" | "node" | "gang";
  size: number;
  sinceCheckpointS: number;
  /** Leave this many GPUs free before the job (scattered holes). */
  holeGpus: number;
}

const pieceArb: fc.Arbitrary<Piece> = fc.record({
  tenantId: fc.constantFrom("nor" as const, "glo" as const),
  kind: fc.constantFrom("small" as const, "small" as const, "node" as const, "gang" as const),
  size: fc.integer({ min: 1, max: 4 }),
  sinceCheckpointS: fc.integer({ min: 0, max: 60 }),
  holeGpus: fc.constantFrom(0, 0, 0, 0, 0, 1),
});

const stormArb = fc.record({
  racks: fc.integer({ min: 2, max: 6 }),
  nodesPerRack: fc.integer({ min: 2, max: 4 }),
  /** The reclaiming tier's guarantee, as a share of the facility. */
  share: fc.double({ min: 0.2, max: 0.5, noNaN: true }),
  pieces: fc.array(pieceArb, { minLength: 120, maxLength: 120 }),
  /** The reclaiming tier's queue, before the 1-GPU jobs that let it fill its guarantee to the GPU. */
  queueShapes: fc.array(fc.constantFrom(1, 2, 4, 8), { maxLength: 30 }),
});

type Storm = typeof stormArb extends fc.Arbitrary<infer S> ? S : never;

/** Lays the pieces down rack by rack until the facility is full: every job checkpoints every 10 minutes. */
function runningJobs(s: Storm): RunningJob[] {
  const out: RunningJob[] = [];
  let rack = 0;
  let node = 0;
  let gpu = 0;
  const nextNode = () => {
    gpu = 0;
    node++;
    if (node === s.nodesPerRack) {
      node = 0;
      rack++;
    }
  };
  for (const p of s.pieces) {
    if (rack >= s.racks) break;
    gpu += p.holeGpus;
    if (gpu >= GPUS_PER_NODE) nextNode();
    if (rack >= s.racks) break;
    const held: [string, number[]][] = [];
    const id = (k: number) => `no/r${rack}n${k}`;
    if (p.kind === "small") {
      const gpus = Math.min(p.size <= 2 ? p.size : 1, GPUS_PER_NODE - gpu);
      held.push([id(node), Array.from({ length: gpus }, (_, g) => gpu + g)]);
      gpu += gpus;
      if (gpu === GPUS_PER_NODE) nextNode();
    } else {
      if (gpu > 0) nextNode();
      if (rack >= s.racks) break;
      const nodes = p.kind === "node" ? 1 : Math.min(p.size, s.nodesPerRack - node);
      for (let k = 0; k < nodes; k++) held.push([id(node + k), [0, 1, 2, 3]]);
      for (let k = 0; k < nodes; k++) nextNode();
    }
    const gpus = held.reduce((a, [, g]) => a + g.length, 0);
    const j = job(p.tenantId, {
      ...(p.kind === "small" ? { gpus } : { nodes: held.length, gpusPerNode: GPUS_PER_NODE }),
      checkpointIntervalS: 600,
      limitS: 7 * 86_400,
      estimatedRuntimeS: 86_400,
    });
    out.push(running(j, T0 - (3 * 600 + p.sinceCheckpointS) * 1000, "no", held));
  }
  return out;
}

function situation(s: Storm) {
  const f = facility({ id: "no", racks: s.racks, nodesPerRack: s.nodesPerRack, racksPerBlock: 2 });
  const facilityGpus = s.racks * s.nodesPerRack * GPUS_PER_NODE;
  const guaranteeGpus = Math.floor(s.share * facilityGpus);
  const p = policy(
    [
      // No borrowing for the reclaiming tier: what it holds after the pass is what it reclaimed.
      tier("national", guaranteeGpus, { borrowingLimit: { gpus: 0 } }),
      tier("nordic", BORROWER_GUARANTEE_GPUS),
      tier("global", BORROWER_GUARANTEE_GPUS, { reclaimByPreemption: false }),
    ],
    [tenant("nat", "national"), tenant("nor", "nordic"), tenant("glo", "global")],
    // No reservations: a reserved GPU is out of every plan's reach, which would blur "reclaimed in full".
    { backfill: { reservationDepth: 0 } },
  );
  const queue: Job[] = [
    ...s.queueShapes.map((g) => job("nat", g === 8 ? { nodes: 2, gpusPerNode: GPUS_PER_NODE } : { gpus: g })),
    ...Array.from({ length: guaranteeGpus }, () => job("nat", { gpus: 1 })),
  ];
  return { f, p, queue, running: runningJobs(s), guaranteeGpus };
}

const gpusOf = (a: { nodes: { gpus: number[] }[] }) => a.nodes.reduce((n, x) => n + x.gpus.length, 0);

describe("preemption in a reclaim storm (property-based)", () => {
  it("gives no GPU twice, preempts only borrowers and takes the whole guarantee back", () => {
    fc.assert(
      fc.property(stormArb, (storm) => {
        const { f, p, queue, running: run, guaranteeGpus } = situation(storm);
        const d = schedule({
          facility: compileFacility(f),
          policy: p,
          queue,
          running: run,
          usage: [],
          nowMs: T0,
        });

        // No GPU given twice: what still runs and what starts hold disjoint GPUs.
        const preempted = new Set(d.preempt.map((x) => x.jobId));
        const seen = new Set<string>();
        const hold = (nodes: { nodeId: string; gpus: number[] }[]) => {
          for (const n of nodes)
            for (const g of n.gpus) {
              const key = `${n.nodeId}#${g}`;
              expect(seen.has(key), `GPU ${key} given twice`).toBe(false);
              seen.add(key);
            }
        };
        for (const r of run) if (!preempted.has(r.job.id)) hold(r.allocation.nodes);
        for (const st of d.start) hold(st.allocation.nodes);

        // Only borrowers: replayed in order, every victim's tier holds more than its guarantee when taken.
        const tierOf = new Map([
          ["nat", 0],
          ["nor", 1],
          ["glo", 2],
        ]);
        const guaranteed = [guaranteeGpus, BORROWER_GUARANTEE_GPUS, BORROWER_GUARANTEE_GPUS];
        const used = [0, 0, 0];
        const byId = new Map(run.map((r) => [r.job.id, r]));
        for (const r of run) used[tierOf.get(r.job.tenantId)!]! += gpusOf(r.allocation);
        const taken = new Set<string>();
        for (const st of d.start) {
          if (st.preempted.length > 0) expect(st.borrowing).toBe(false);
          for (const id of st.preempted) {
            const victim = byId.get(id)!;
            const t = tierOf.get(victim.job.tenantId)!;
            expect(t, `${id} of the reclaiming tier itself was preempted`).not.toBe(0);
            expect(used[t]!, `${id} preempted while its tier was within its guarantee`).toBeGreaterThan(
              guaranteed[t]!,
            );
            used[t]! -= gpusOf(victim.allocation);
            taken.add(id);
          }
          used[0]! += gpusOf(st.allocation);
        }
        expect([...taken].sort()).toEqual([...preempted].sort());

        // The guarantee taken back in full: the queue has enough 1-GPU jobs to fill it to the GPU.
        expect(used[0]).toBe(guaranteeGpus);
      }),
      { numRuns: RUNS },
    );
  });

  it("plans a few places per reclaiming job, not every NVLink domain of the facility", () => {
    // 64 racks of 4 nodes, each node held by one 4-GPU borrower that lost a different amount of work.
    const f = facility({ id: "no", racks: 64, nodesPerRack: 4, racksPerBlock: 8 });
    const run: RunningJob[] = [];
    for (let r = 0; r < 64; r++)
      for (let n = 0; n < 4; n++) {
        const j = job("glo", { gpus: 4, checkpointIntervalS: 3600, limitS: 86_400 });
        run.push(running(j, T0 - (r * 4 + n + 1) * 10_000, "no", [[`no/r${r}n${n}`, [0, 1, 2, 3]]]));
      }
    const p = policy(
      [tier("national", 128), tier("global", 0, { reclaimByPreemption: false })],
      [tenant("nat", "national"), tenant("glo", "global")],
    );
    const core = createCore(compileFacility(f), p);
    for (const r of run) addRunning(core, r);
    const queue = Array.from({ length: 20 }, () => job("nat", { gpus: 4 }));
    core.queue.addAll(queue.map((j) => core.admissions.admit(j)).flatMap((a) => (a.ok ? [a.candidate] : [])));
    const out = runPass(core, { nowMs: T0, usage: [] });
    expect(out.preempt).toHaveLength(20);
    // Searching every domain would plan 64 per job, 1,280 in all.
    expect(core.preemptionFinder.plannedUnits).toBeLessThanOrEqual(20 * 2);
  });

  it("plans a few places per job when the victims are above a borrowable quota, not above a guarantee", () => {
    // 64 racks of 4 nodes, each GPU held by a 1-GPU job of a tenant far above its borrowable quota, in a
    // tier within its guarantee. On node n of a rack, GPU n lost 10 s since its checkpoint, the others
    // about 3,000 s: a rack's four cheapest GPUs sit on four nodes, so a bound from the cheapest GPUs of a
    // rack (40 GPU-s) is far below what clearing any one node costs (about 9,000).
    const f = facility({ id: "no", racks: 64, nodesPerRack: 4, racksPerBlock: 8 });
    const run: RunningJob[] = [];
    for (let r = 0; r < 64; r++)
      for (let n = 0; n < 4; n++)
        for (let g = 0; g < 4; g++) {
          const lostS = g === n ? 10 : 3000 + r;
          const j = job("big", { gpus: 1, checkpointIntervalS: 3600, limitS: 86_400 });
          run.push(running(j, T0 - (3600 + lostS) * 1000, "no", [[`no/r${r}n${n}`, [g]]]));
        }
    const p = policy(
      // The guarantee is more than the facility: only the quota makes big's jobs victims.
      [tier("national", 2048)],
      [tenant("big", "national", { quotaGpus: 16, quotaMode: "borrowable" }), tenant("small", "national")],
    );
    const core = createCore(compileFacility(f), p);
    for (const r of run) addRunning(core, r);
    const queue = Array.from({ length: 20 }, () => job("small", { gpus: 4 }));
    core.queue.addAll(queue.map((j) => core.admissions.admit(j)).flatMap((a) => (a.ok ? [a.candidate] : [])));
    const out = runPass(core, { nowMs: T0, usage: [] });
    expect(out.start).toHaveLength(20);
    expect(out.preempt).toHaveLength(80);
    // Searching every domain would plan 64 per job, 1,280 in all.
    expect(core.preemptionFinder.plannedUnits).toBeLessThanOrEqual(20 * 2);
  });
});
