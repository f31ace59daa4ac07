import { describe, expect, it } from "vitest";
import { parseNodeInventory } from "../executors/slurm/node-inventory.ts";
import { type SlurmImportOptions, siteFromSlurm } from "./site-from-slurm.ts";

const line = (name: string, gres: string, partitions = "fjord", cpus = 64, memMiB = 1_024_000) =>
  `NodeName=${name} Arch=x86_64 CPUTot=${cpus} Gres=${gres} OS=Linux 6.1 #1 SMP RealMemory=${memMiB} State=IDLE Partitions=${partitions}`;

const OPTIONS: SlurmImportOptions = {
  facilityId: "lab",
  siteId: "lab",
  country: "SE",
  jurisdictions: ["SE", "EEA"],
  gridZone: "SE3",
  hallId: "hall-a",
  nodesPerRack: 4,
  gpuModel: null,
  slurmConf: "/etc/slurm/slurm.conf",
  partition: "fjord",
};

describe("a Slurm node inventory as a site", () => {
  it("reads each node's GPUs and their type from its Gres", () => {
    const nodes = parseNodeInventory(
      [line("h1", "gpu:h100:8(S:0-1)"), line("c1", "(null)"), "", "garbage"].join("\n"),
    );
    expect(nodes).toEqual([
      {
        name: "h1",
        gpus: 8,
        gpuType: "h100",
        cpus: 64,
        memoryMiB: 1_024_000,
        partitions: ["fjord"],
        state: "IDLE",
      },
      {
        name: "c1",
        gpus: 0,
        gpuType: null,
        cpus: 64,
        memoryMiB: 1_024_000,
        partitions: ["fjord"],
        state: "IDLE",
      },
    ]);
  });

  it("makes a node type per kind of node, racks that divide its nodes, and names every Slurm node in order", () => {
    const nodes = parseNodeInventory(
      [
        ...["h1", "h2", "h3", "h4", "h5", "h6"].map((n) => line(n, "gpu:h100:8")),
        line("l1", "gpu:l40s:4", "fjord,debug", 32, 512_000),
        line("cpu1", "(null)"),
        line("other", "gpu:h100:8", "batch"),
      ].join("\n"),
    );
    const imported = siteFromSlurm(nodes, OPTIONS);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const site = (imported.document.sites as Record<string, never>[])[0]!;
    expect(imported.document.nodeTypes).toMatchObject([
      { id: "h100-8gpu", gpuModel: "H100", gpusPerNode: 8, gpuMaxPowerW: 700, memoryGiB: 1000 },
      { id: "l40s-4gpu", gpuModel: "L40S", gpusPerNode: 4, cpuCores: 32, memoryGiB: 500 },
    ]);
    // Six nodes in racks of at most four: two racks of three.
    expect(site.halls).toEqual([
      {
        id: "hall-a",
        rackGroups: [
          { count: 2, nodeType: "h100-8gpu", nodesPerRack: 3, nvlinkDomain: "node", racksPerNetworkBlock: 2 },
          { count: 1, nodeType: "l40s-4gpu", nodesPerRack: 1, nvlinkDomain: "node", racksPerNetworkBlock: 1 },
        ],
      },
    ]);
    expect(site.executor).toMatchObject({ slurmNodes: ["h1", "h2", "h3", "h4", "h5", "h6", "l1"] });
    expect(imported.notes).toEqual(["node cpu1 has no GPUs (Gres): left out"]);
  });

  it("says what is missing rather than guessing: no nodes in the partition, or no GPU type", () => {
    expect(siteFromSlurm(parseNodeInventory(line("a", "gpu:8", "batch")), OPTIONS)).toEqual({
      ok: false,
      problem: "the cluster has no nodes in partition fjord",
    });
    expect(siteFromSlurm(parseNodeInventory(line("a", "gpu:8")), OPTIONS)).toMatchObject({ ok: false });
    const named = siteFromSlurm(parseNodeInventory(line("a", "gpu:8")), { ...OPTIONS, gpuModel: "MI300X" });
    expect(named).toMatchObject({
      ok: true,
      notes: ["GPU model MI300X: power and memory are placeholders; set them"],
    });
  });
});
