import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { NODES_PER_RACK, parseAlibabaNodes } from "./alibaba-nodes.ts";
import { loadAlibabaNodes } from "./load-alibaba.ts";

const FIXTURES = "test/fixtures/workloads";
const TRACES = "workloads/alibaba-gpu-2023";
const site = { siteId: "openb", country: "CN", jurisdictions: ["CN"] };
const small = loadAlibabaNodes(`${FIXTURES}/alibaba-nodes-small.csv`, site);
const problems = (file: string) =>
  catchInputError(() => loadAlibabaNodes(`${FIXTURES}/${file}`, site)).issues.map(
    (i) => `line ${i.line}: ${i.path}: ${i.message}`,
  );

describe("parseAlibabaNodes", () => {
  it("leaves out nodes without GPUs", () => {
    expect(small.nodes.map((n) => n.id)).not.toContain("openb/cpu-0");
    expect(small.nodes).toHaveLength(14);
  });

  it("makes one node type per model, split by GPU count only where a model has several", () => {
    expect(small.nodeTypes.map((t) => [t.id, t.gpuModel, t.gpusPerNode])).toEqual([
      ["p100", "P100", 2],
      ["v100m16-1gpu", "V100M16", 1],
      ["v100m16-8gpu", "V100M16", 8],
      ["g2", "G2", 8],
    ]);
  });

  it("takes CPU and memory from the type's most common server", () => {
    const p100 = small.nodeTypes.find((t) => t.id === "p100")!;
    expect([p100.cpuCores, p100.memoryGiB]).toEqual([16, 120]);
  });

  it("uses the documented power table, idle at 20 % of max, unknown models at 300 W", () => {
    const power = Object.fromEntries(small.nodeTypes.map((t) => [t.id, [t.gpuMaxPowerW, t.gpuIdlePowerW]]));
    expect(power).toEqual({
      p100: [250, 50],
      "v100m16-1gpu": [300, 60],
      "v100m16-8gpu": [300, 60],
      g2: [300, 60],
    });
  });

  it("gives a model named like a built-in property the placeholder figures of any unlisted model", () => {
    const text = [
      "sn,cpu_milli,memory_mib,gpu,model",
      "a,32000,262144,8,constructor",
      "b,32000,262144,8,toString",
    ];
    const facility = parseAlibabaNodes(text.join("\n"), { ...site, source: "nodes.csv" });
    expect(facility.nodeTypes.map((t) => [t.gpuModel, t.gpuMaxPowerW, t.gpuMemoryGiB])).toEqual([
      ["constructor", 300, 32],
      ["toString", 300, 32],
    ]);
  });

  it("makes each node its own NVLink domain, racks of 8 nodes of one type, a new block per type", () => {
    for (const n of small.nodes) expect(n.domainId).toBe(n.id);
    const g2 = small.nodes.filter((n) => n.nodeTypeId === "g2");
    expect(new Set(g2.map((n) => n.rackId)).size).toBe(2);
    expect(g2.filter((n) => n.rackId === g2[0]!.rackId)).toHaveLength(NODES_PER_RACK);
    expect(new Set(small.nodes.map((n) => n.blockId)).size).toBe(4);
    for (const r of small.racks) {
      const types = new Set(small.nodes.filter((n) => n.rackId === r.id).map((n) => n.nodeTypeId));
      expect(types).toEqual(new Set([r.nodeTypeId]));
    }
  });

  it("puts everything in one site with the given jurisdictions", () => {
    expect(small.sites).toEqual([
      {
        id: "openb",
        name: "openb",
        country: "CN",
        jurisdictions: ["CN"],
        gridZone: "unknown",
        operator: "facility",
        latencyMs: {},
      },
    ]);
    expect(new Set(small.nodes.map((n) => n.siteId))).toEqual(new Set(["openb"]));
  });

  it("reads the real GPU node list into a facility the scheduler compiles", () => {
    const text = readFileSync(`${TRACES}/openb_node_list_gpu_node.csv`, "utf8");
    const rows = text
      .split("\n")
      .slice(1)
      .filter((l) => l !== "")
      .map((l) => l.split(","));
    const gpuRows = rows.filter((f) => Number(f[3]) > 0);
    const f = parseAlibabaNodes(text, { ...site, source: "gpu_node.csv" });
    expect(f.nodes).toHaveLength(gpuRows.length);
    const gpus = f.nodes.reduce((a, n) => a + f.nodeTypes.find((t) => t.id === n.nodeTypeId)!.gpusPerNode, 0);
    expect(gpus).toBe(gpuRows.reduce((a, r) => a + Number(r[3]), 0));
    expect(f.nodeTypes).toHaveLength(new Set(gpuRows.map((r) => `${r[4]}/${r[3]}`)).size);
    expect(() => compileFacility(f)).not.toThrow();
  });

  it("names the line and column of every bad cell", () => {
    expect(problems("alibaba-nodes-bad.csv")).toEqual([
      'line 3: gpu: must be a whole number, 0 or more, not "two"',
      "line 4: model: is required for a node with GPUs (gpu > 0)",
      "line 5: sn: duplicate node 'n-0' (first on line 2)",
    ]);
  });

  it("names missing and unknown columns at the header", () => {
    expect(problems("alibaba-nodes-missing-column.csv")).toEqual([
      "line 1: gpus: is not a known column (column 4; known: sn, cpu_milli, memory_mib, gpu, model)",
      "line 1: gpu: column is missing (the header has: sn, cpu_milli, memory_mib, gpus, model)",
    ]);
  });
});
