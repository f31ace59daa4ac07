// Every placement rule on shared GPUs, on random clusters and task streams: no GPU holds more than it has,
// no CPU or memory is over-committed, a task of whole GPUs only takes GPUs no share is on, a rule fails a
// task only when no node could host it, and the same stream gives the same choices.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hosts, MILLI, type TaskShape } from "./fragmentation.ts";
import { PLACEMENT_RULES, placementRule } from "./placement-rules.ts";
import { type GpuChoice, SharedGpuCluster, type SharedNodeSpec } from "./shared-gpu-cluster.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

const nodeArb: fc.Arbitrary<SharedNodeSpec> = fc.record({
  model: fc.integer({ min: 0, max: 2 }),
  cpuMilli: fc.integer({ min: 0, max: 16 }).map((c) => c * 1000),
  memoryMiB: fc.integer({ min: 0, max: 64 }).map((m) => m * 1024),
  gpus: fc.constantFrom(0, 1, 2, 4, 8),
});

const taskArb: fc.Arbitrary<TaskShape> = fc
  .record({
    cpuMilli: fc.integer({ min: 0, max: 8 }).map((c) => c * 1000),
    memoryMiB: fc.integer({ min: 0, max: 16 }).map((m) => m * 1024),
    gpus: fc.constantFrom(0, 1, 1, 1, 2, 4, 8),
    share: fc.integer({ min: 1, max: MILLI }),
    models: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 2 })),
  })
  .map(({ gpus, share, ...t }) => ({ ...t, gpus, gpuMilli: gpus === 0 ? 0 : gpus > 1 ? MILLI : share }));

function replay(rule: (typeof PLACEMENT_RULES)[number], nodes: SharedNodeSpec[], tasks: TaskShape[]) {
  const cluster = new SharedGpuCluster(nodes);
  const place = placementRule(rule, cluster, {
    typical: tasks.slice(0, 3).map((t) => ({ ...t, share: 1 / 3 })),
    refreshEvery: 4,
  });
  const choices: (GpuChoice | null)[] = [];
  for (const task of tasks) {
    const anyHost = cluster.nodes.some((n) => hosts(n, task));
    const choice = place.choose(task);
    expect(choice !== null, `${rule}: a host exists: ${anyHost}`).toBe(anyHost);
    if (choice !== null) {
      const node = cluster.nodes[choice.node]!;
      expect(hosts(node, task)).toBe(true);
      expect(new Set(choice.gpus).size).toBe(choice.gpus.length);
      expect(choice.gpus.length).toBe(task.gpus);
      for (const g of choice.gpus) {
        if (task.gpuMilli === MILLI) expect(node.gpuMilli[g], "a whole GPU must be wholly free").toBe(MILLI);
        else expect(node.gpuMilli[g]!).toBeGreaterThanOrEqual(task.gpuMilli);
      }
      cluster.take(task, choice);
    }
    choices.push(choice);
  }
  for (let n = 0; n < cluster.size; n++) {
    expect(cluster.cpuLeft[n]!).toBeGreaterThanOrEqual(0);
    expect(cluster.memoryLeft[n]!).toBeGreaterThanOrEqual(0);
  }
  for (const left of cluster.gpuLeft) {
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThanOrEqual(MILLI);
  }
  return choices;
}

describe("placement rules on shared GPUs", () => {
  for (const rule of PLACEMENT_RULES)
    it(`${rule}: never over-commits, places whenever a node hosts, and decides the same twice`, () => {
      fc.assert(
        fc.property(
          fc.array(nodeArb, { minLength: 1, maxLength: 6 }),
          fc.array(taskArb, { minLength: 1, maxLength: 30 }),
          (nodes, tasks) => {
            expect(replay(rule, nodes, tasks)).toEqual(replay(rule, nodes, tasks));
          },
        ),
        { numRuns: RUNS },
      );
    });

  it("gives back what it took", () => {
    const cluster = new SharedGpuCluster([{ model: 0, cpuMilli: 4000, memoryMiB: 1024, gpus: 2 }]);
    const task: TaskShape = { cpuMilli: 1000, memoryMiB: 512, gpus: 1, gpuMilli: 300, models: null };
    cluster.take(task, { node: 0, gpus: [1] });
    expect([...cluster.gpuLeft]).toEqual([1000, 700]);
    expect(cluster.allocatedGpus()).toBeCloseTo(0.3);
    cluster.give(task, { node: 0, gpus: [1] });
    expect([...cluster.gpuLeft]).toEqual([1000, 1000]);
    expect(cluster.cpuLeft[0]).toBe(4000);
  });

  it("puts a share where it keeps whole GPUs for the tasks expected, and fjord breaks ties by fit", () => {
    // Node 0 has GPU 1 half used; node 1 is empty. A 500-thousandths share on node 1 would leave it unable
    // to take the two-GPU task fgd expects; on node 0 either GPU does as well, and fjord takes the one it
    // fills exactly, so the other stays whole.
    const nodes: SharedNodeSpec[] = [
      { model: 0, cpuMilli: 8000, memoryMiB: 0, gpus: 2 },
      { model: 0, cpuMilli: 8000, memoryMiB: 0, gpus: 2 },
    ];
    const whole: TaskShape = { cpuMilli: 0, memoryMiB: 0, gpus: 2, gpuMilli: MILLI, models: null };
    const share: TaskShape = { cpuMilli: 0, memoryMiB: 0, gpus: 1, gpuMilli: 500, models: null };
    const expected = { "first-fit": [0], "best-fit": [1], fgd: [0], fjord: [1] } as const;
    for (const rule of PLACEMENT_RULES) {
      const cluster = new SharedGpuCluster(nodes);
      cluster.take(share, { node: 0, gpus: [1] });
      const typical = [
        { ...whole, share: 0.5 },
        { ...share, share: 0.5 },
      ];
      expect(placementRule(rule, cluster, { typical }).choose(share), rule).toEqual({
        node: 0,
        gpus: expected[rule],
      });
    }
  });
});
