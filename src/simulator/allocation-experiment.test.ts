// The allocation experiment on the shipped openb node list and a small draw of its default task list, and
// on clusters small enough to count by hand.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MILLI, type TaskShape } from "../scheduler/fragmentation.ts";
import { PLACEMENT_RULES } from "../scheduler/placement-rules.ts";
import {
  readAllocationNodes,
  readAllocationTasks,
  typicalTasks,
} from "../workloads/alibaba-allocation-inputs.ts";
import { runAllocationExperiment } from "./allocation-experiment.ts";

const DIR = "workloads/alibaba-gpu-2023";
const read = (file: string) => readFileSync(`${DIR}/${file}`, "utf8");

describe("allocation experiment", () => {
  it("stops when the GPUs asked for reach the share, and counts what was allocated", () => {
    const nodes = [{ model: 0, cpuMilli: 4000, memoryMiB: 0, gpus: 2 }];
    // Every task asks for 0.6 GPU: two fit (one per GPU), the rest fail; four arrive to pass 2 GPUs.
    const tasks: TaskShape[] = [{ cpuMilli: 0, memoryMiB: 0, gpus: 1, gpuMilli: 600, models: null }];
    for (const rule of PLACEMENT_RULES) {
      const o = runAllocationExperiment(rule, { nodes, tasks, typical: [], seed: 1, arrivedShare: 1 });
      expect(o).toMatchObject({ arrivedTasks: 4, failedTasks: 2, totalGpus: 2 });
      expect(o.arrivedGpus).toBeCloseTo(2.4);
      expect(o.allocatedGpus).toBeCloseTo(1.2);
      expect(o.allocationRate).toBeCloseTo(0.6);
      expect(o.unallocatedGpus).toBeCloseTo(0.8);
    }
  });

  it("replays the openb trace on its node list the same way twice, for every rule", () => {
    const { nodes } = readAllocationNodes(read("openb_node_list_gpu_node.csv"), "nodes");
    const tasks = readAllocationTasks(read("openb_pod_list_default.csv"), "tasks");
    expect(nodes.length).toBe(1213);
    expect(nodes.reduce((sum, n) => sum + n.gpus, 0)).toBe(6212);
    // Shares are kept: 460 thousandths stays 460.
    expect(tasks.some((t) => t.gpus === 1 && t.gpuMilli === 460)).toBe(true);
    const typical = typicalTasks(tasks);
    expect(typical.reduce((sum, t) => sum + t.share, 0)).toBeCloseTo(1);
    for (const rule of PLACEMENT_RULES) {
      const run = () => runAllocationExperiment(rule, { nodes, tasks, typical, seed: 7, arrivedShare: 0.3 });
      const first = run();
      expect(run()).toEqual(first);
      expect(first.arrivedGpus).toBeGreaterThanOrEqual(0.3 * 6212);
      expect(first.allocatedGpus).toBeLessThanOrEqual(first.arrivedGpus + 1e-9);
      // At 30 % of capacity every rule still places nearly everything.
      expect(first.allocatedGpus / first.arrivedGpus).toBeGreaterThan(0.95);
    }
  });

  it("reads a task list without time columns, and names the column of a bad cell", () => {
    const tasks = readAllocationTasks(
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli\na,1000,512,1,250\nb,2000,0,4,1000\nc,500,0,0,0\n",
      "t.csv",
    );
    expect(tasks.map((t) => [t.gpus, t.gpuMilli])).toEqual([
      [1, 250],
      [4, MILLI],
      [0, 0],
    ]);
    expect(() => readAllocationTasks("cpu_milli,memory_mib,num_gpu,gpu_milli\n1,1,1,x\n", "t.csv")).toThrow(
      /gpu_milli/,
    );
    expect(() => readAllocationTasks("cpu_milli,memory_mib,num_gpu,gpu_milli\n1,1,1,0\n", "t.csv")).toThrow(
      /0 for a task with one GPU/,
    );
    expect(() => readAllocationTasks("cpu_milli,memory_mib,num_gpu\n1,1,1\n", "t.csv")).toThrow(/gpu_milli/);
  });
});
