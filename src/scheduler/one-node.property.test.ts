// A GPU-count job that one node of its allowed GPU models can hold runs on one node, as a pod does (or on
// nodes of one NVLink domain where a domain spans several smaller nodes, as an NVL72 rack does): on
// random facilities and queues, and on facilities of small mixed nodes like Alibaba's, where spreading an
// 8-GPU task over four 2-GPU nodes is what a node-blind placement does.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Situation, situationArb } from "../../test/support/arbitraries.ts";
import { facility, GB300, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job, NodeType, RunningJob } from "../model/types.ts";
import { compileFacility } from "./compile-facility.ts";
import type { Decisions } from "./decisions.ts";
import { EligibilityCache } from "./eligibility.ts";
import { largestNodeGpus } from "./request.ts";
import { schedule } from "./schedule.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

/**
 * Checks every start of a pass: one node for a GPU-count job that fits one allowed node (or, where its
 * nodes are smaller, one multi-node NVLink domain); no GPU twice.
 */
function expectOneNodeAndNoSharedGpu(s: Situation, d: Decisions): void {
  const eligibility = new EligibilityCache(s.compiled);
  const queued = new Map(s.queue.map((j) => [j.id, j]));
  const preempted = new Set(d.preempt.map((p) => p.jobId));
  const seen = new Set<string>();
  const held = [
    ...s.running.filter((r) => !preempted.has(r.job.id)).map((r) => r.allocation),
    ...d.start.map((st) => st.allocation),
  ];
  for (const a of held)
    for (const n of a.nodes)
      for (const g of n.gpus) {
        const key = `${n.nodeId}#${g}`;
        expect(seen.has(key), `GPU ${key} given twice`).toBe(false);
        seen.add(key);
      }
  for (const st of d.start) {
    const j = queued.get(st.jobId)!;
    if (j.shape.kind !== "gpus") continue;
    const e = eligibility.of(j);
    const largest = largestNodeGpus([...e.own, ...e.facility].map((p) => s.compiled.pools[p]!));
    if (j.shape.gpus > largest || st.allocation.nodes.length === 1) continue;
    // Several nodes only of one NVLink domain, in a pool whose nodes are too small for the job.
    const cf = s.compiled;
    const nodes = st.allocation.nodes.map((n) => cf.nodeIndexById.get(n.nodeId)!);
    const where = `${j.shape.gpus}-GPU job ${j.id} fits one ${largest}-GPU node, yet runs on ${nodes.length}`;
    expect(cf.nodeGpus[nodes[0]!]!, where).toBeLessThan(j.shape.gpus);
    expect(new Set(nodes.map((i) => cf.nodeDomain[i])).size, where).toBe(1);
  }
}

/** A node type like the Alibaba trace's: `gpus` GPUs of `model` per node. */
const nodeType = (model: string, gpus: number): NodeType => ({
  ...GB300,
  id: `${model.toLowerCase()}-${gpus}`,
  gpuModel: model,
  gpusPerNode: gpus,
});
const SMALL_NODE_TYPES = [
  nodeType("P100", 2),
  nodeType("T4", 1),
  nodeType("V100M16", 4),
  nodeType("V100M32", 8),
  nodeType("G2", 8),
];
const MODELS = [...new Set(SMALL_NODE_TYPES.map((t) => t.gpuModel))];

const podArb = fc.record({
  gpus: fc.integer({ min: 1, max: 8 }),
  models: fc.option(fc.subarray(MODELS, { minLength: 1 }), { nil: null }),
  runtimeS: fc.integer({ min: 60, max: 20_000 }),
});

/** One site per node type, in random order and size, with running pods from an earlier pass. */
const smallNodesArb: fc.Arbitrary<Situation> = fc
  .record({
    types: fc.shuffledSubarray(SMALL_NODE_TYPES, { minLength: 1 }),
    racks: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
    nodesPerRack: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 5, maxLength: 5 }),
    earlier: fc.array(podArb, { maxLength: 30 }),
    queue: fc.array(podArb, { maxLength: 30 }),
  })
  .map((g) => {
    const f = facility(
      ...g.types.map((type, k) => ({
        id: `s${k}`,
        racks: g.racks[k]!,
        nodesPerRack: g.nodesPerRack[k]!,
        nodeType: type,
        nvlink: "node" as const,
      })),
    );
    const compiled = compileFacility(f);
    const p = policy([tier("all", 0)], [tenant("t", "all")]);
    const toJob = (pod: (typeof g.queue)[number], id: string, atMs: number): Job => ({
      ...job("t", { gpus: pod.gpus }),
      id,
      gpuModels: pod.models,
      estimatedRuntimeS: pod.runtimeS,
      limitS: pod.runtimeS,
      submittedAtMs: atMs,
    });
    const earlierAtMs = T0 - 60_000;
    const earlier = g.earlier.map((pod, k) => toJob(pod, `r${k}`, earlierAtMs));
    const first = schedule({
      facility: compiled,
      policy: p,
      queue: earlier,
      running: [],
      usage: [],
      nowMs: earlierAtMs,
    });
    const byId = new Map(earlier.map((j) => [j.id, j]));
    const running: RunningJob[] = first.start.map((st) => ({
      job: byId.get(st.jobId)!,
      startedAtMs: earlierAtMs,
      allocation: st.allocation,
    }));
    const queue = g.queue.map((pod, k) => toJob(pod, `q${k}`, T0));
    return { facility: f, compiled, policy: p, running, queue, usage: [], nowMs: T0 };
  });

function pass(s: Situation): Decisions {
  return schedule({
    facility: s.compiled,
    policy: s.policy,
    queue: s.queue,
    running: s.running,
    usage: s.usage,
    nowMs: s.nowMs,
  });
}

describe("GPU-count jobs that fit one node (property-based)", () => {
  it("run on exactly one node on random facilities and queues, and no GPU is given twice", () => {
    fc.assert(
      fc.property(situationArb, (s) => expectOneNodeAndNoSharedGpu(s, pass(s))),
      { numRuns: RUNS },
    );
  });

  it("run on exactly one node among small mixed nodes, and no GPU is given twice", () => {
    fc.assert(
      fc.property(smallNodesArb, (s) => expectOneNodeAndNoSharedGpu(s, pass(s))),
      { numRuns: RUNS },
    );
  });
});
