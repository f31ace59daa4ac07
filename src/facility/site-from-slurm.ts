// A Slurm cluster's node inventory as a facility file with one site, for `fjord facility import-slurm`.
// Slurm knows each node's GPUs, CPUs and memory, not its racks, halls or power: nodes of one kind become
// a rack group of racks of `nodesPerRack` nodes each (each node its own NVLink domain, one network block),
// and power and GPU memory are nominal figures for the GPU model, for the operator to check. The site's
// executor names every Slurm node in the order the file lays the nodes out, so Fjord's node ids need not
// be Slurm's names.
import type { SlurmNodeInfo } from "../executors/slurm/node-inventory.ts";

export interface SlurmImportOptions {
  facilityId: string;
  siteId: string;
  country: string;
  jurisdictions: string[];
  gridZone: string;
  hallId: string;
  /** Most nodes per rack; a group's racks all hold the same number, the largest that divides its nodes. */
  nodesPerRack: number;
  /** The GPU model when Slurm's Gres names no type (`gpu:8`), or to override the type it names. */
  gpuModel: string | null;
  slurmConf: string;
  partition: string;
}

/** Nominal figures per GPU model (vendor data sheets): board power and memory; idle taken as a tenth. */
const NOMINAL = new Map<string, { maxPowerW: number; memoryGiB: number }>([
  ["A100", { maxPowerW: 400, memoryGiB: 80 }],
  ["H100", { maxPowerW: 700, memoryGiB: 80 }],
  ["H200", { maxPowerW: 700, memoryGiB: 141 }],
  ["B200", { maxPowerW: 1000, memoryGiB: 180 }],
  ["GB200", { maxPowerW: 1200, memoryGiB: 186 }],
  ["GB300", { maxPowerW: 1400, memoryGiB: 279 }],
  ["L40S", { maxPowerW: 350, memoryGiB: 48 }],
]);
/** For a model not above: placeholders the header tells the operator to replace. */
const UNKNOWN_MODEL = { maxPowerW: 700, memoryGiB: 80 };
/** Per node besides its GPUs (CPUs, memory, NICs, fans); a placeholder too. */
const NODE_OVERHEAD_W = 1500;

export type SlurmImport =
  | { ok: true; document: Record<string, unknown>; notes: string[] }
  | { ok: false; problem: string };

export function siteFromSlurm(nodes: readonly SlurmNodeInfo[], options: SlurmImportOptions): SlurmImport {
  const inPartition = nodes.filter((n) => n.partitions.includes(options.partition));
  if (inPartition.length === 0)
    return { ok: false, problem: `the cluster has no nodes in partition ${options.partition}` };
  const notes: string[] = [];
  const withGpus = inPartition.filter((n) => {
    if (n.gpus > 0) return true;
    notes.push(`node ${n.name} has no GPUs (Gres): left out`);
    return false;
  });
  // One node type per kind of node, in the order Slurm lists the first node of each kind.
  const groups = new Map<string, { model: string; nodes: SlurmNodeInfo[] }>();
  for (const node of withGpus) {
    const model = options.gpuModel ?? (node.gpuType === null ? null : modelName(node.gpuType));
    if (model === null)
      return {
        ok: false,
        problem: `node ${node.name}'s Gres (gpu:${node.gpus}) names no GPU type: give the model with --gpu-model`,
      };
    const key = JSON.stringify([model, node.gpus, node.cpus, node.memoryMiB]);
    const group = groups.get(key) ?? { model, nodes: [] };
    group.nodes.push(node);
    groups.set(key, group);
  }
  const nodeTypes: Record<string, unknown>[] = [];
  const rackGroups: Record<string, unknown>[] = [];
  const slurmNodes: string[] = [];
  const takenIds = new Set<string>();
  for (const { model, nodes: kind } of groups.values()) {
    const first = kind[0]!;
    const id = uniqueId(`${model}-${first.gpus}gpu`.toLowerCase().replace(/[^a-z0-9._-]/g, "-"), takenIds);
    const nominal = NOMINAL.get(model) ?? UNKNOWN_MODEL;
    if (!NOMINAL.has(model)) notes.push(`GPU model ${model}: power and memory are placeholders; set them`);
    nodeTypes.push({
      id,
      gpuModel: model,
      gpusPerNode: first.gpus,
      gpuMemoryGiB: nominal.memoryGiB,
      gpuIdlePowerW: Math.round(nominal.maxPowerW / 10),
      gpuMaxPowerW: nominal.maxPowerW,
      cpuCores: Math.max(1, first.cpus),
      memoryGiB: Math.max(0.1, Math.round((first.memoryMiB / 1024) * 10) / 10),
      nodeOverheadPowerW: NODE_OVERHEAD_W,
    });
    const perRack = largestDivisorUpTo(kind.length, options.nodesPerRack);
    const racks = kind.length / perRack;
    rackGroups.push({
      count: racks,
      nodeType: id,
      nodesPerRack: perRack,
      nvlinkDomain: "node",
      racksPerNetworkBlock: racks,
    });
    slurmNodes.push(...kind.map((n) => n.name));
  }
  const document = {
    id: options.facilityId,
    nodeTypes,
    sites: [
      {
        id: options.siteId,
        country: options.country,
        jurisdictions: options.jurisdictions,
        gridZone: options.gridZone,
        halls: [{ id: options.hallId, rackGroups }],
        executor: {
          kind: "slurm",
          slurmConf: options.slurmConf,
          partition: options.partition,
          slurmNodes,
        },
      },
    ],
  };
  return { ok: true, document, notes };
}

/** Slurm's GPU types are often lower case (`h100`); the facility's models read as vendors write them. */
function modelName(gpuType: string): string {
  const upper = gpuType.toUpperCase();
  return [...NOMINAL.keys()].find((m) => m === upper) ?? gpuType;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function largestDivisorUpTo(n: number, most: number): number {
  for (let d = Math.min(n, Math.max(1, most)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}
