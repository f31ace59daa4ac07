// Alibaba GPU trace node list (`sn,cpu_milli,memory_mib,gpu,model`) → a one-site Facility, so a trace can
// be replayed on the cluster it came from. The trace gives no topology: the layout below is an assumption,
// documented in docs/workloads.md, chosen to be simple rather than to guess Alibaba's real racks.
//
//   - one node type per (GPU model, GPUs per node); CPU and memory from the most common such node;
//   - each node is its own NVLink domain (PCIe/SXM servers of at most 8 GPUs);
//   - racks of 8 nodes of one node type, blocks of 8 racks of one node type, in file order;
//   - nodes without GPUs are left out (the scheduler places GPU jobs only).

import { idSchema } from "../model/input-schemas.ts";
import type { Facility, FacilityNode, NodeType, Rack } from "../model/types.ts";
import { gpuFigures, IDLE_POWER_SHARE, nodeOverheadPowerW } from "./alibaba-hardware.ts";
import { readNumberCell } from "./csv-cells.ts";
import { indexColumns } from "./csv-columns.ts";
import { readCsvTable } from "./csv-table.ts";
import { IssueList } from "./issue-list.ts";

export const ALIBABA_NODE_COLUMNS = ["sn", "cpu_milli", "memory_mib", "gpu", "model"] as const;
type Column = (typeof ALIBABA_NODE_COLUMNS)[number];

export interface AlibabaNodesOptions {
  source: string;
  siteId: string;
  /** ISO 3166-1 alpha-2 country of the site. */
  country: string;
  jurisdictions: readonly string[];
  siteName?: string;
  /** Default "unknown": the trace does not say where the cluster is. */
  gridZone?: string;
  latencyMs?: Readonly<Record<string, number>>;
  /** Default: the site id. */
  facilityId?: string;
  facilityName?: string;
}

export const NODES_PER_RACK = 8;
export const RACKS_PER_BLOCK = 8;

interface NodeRow {
  sn: string;
  cpuMilli: number;
  memoryMib: number;
  gpus: number;
  model: string;
}

/** Throws InputError naming the line and column of every problem. */
export function parseAlibabaNodes(csvText: string, options: AlibabaNodesOptions): Facility {
  const rows = readNodeRows(csvText, options.source).filter((r) => r.gpus > 0);
  const siteId = options.siteId;
  const hallId = `${siteId}/main`;
  const groups = groupByType(rows);
  const nodeTypes: NodeType[] = [];
  const racks: Rack[] = [];
  const nodes: FacilityNode[] = [];
  let rackNumber = 0;
  let blockNumber = 0;
  for (const group of groups) {
    nodeTypes.push(group.type);
    group.rows.forEach((row, i) => {
      // Each node type starts a new rack and a new block, as rack groups do in facility files.
      if (i % NODES_PER_RACK === 0) {
        if (i % (NODES_PER_RACK * RACKS_PER_BLOCK) === 0) blockNumber++;
        rackNumber++;
        racks.push({ id: rackId(hallId, rackNumber), siteId, hallId, nodeTypeId: group.type.id });
      }
      const id = `${siteId}/${row.sn}`;
      nodes.push({
        id,
        siteId,
        hallId,
        rackId: rackId(hallId, rackNumber),
        nodeTypeId: group.type.id,
        domainId: id,
        blockId: `${hallId}-b${String(blockNumber).padStart(2, "0")}`,
        state: "up",
      });
    });
  }
  return {
    id: options.facilityId ?? siteId,
    name: options.facilityName ?? options.siteName ?? siteId,
    nodeTypes,
    sites: [
      {
        id: siteId,
        name: options.siteName ?? siteId,
        country: options.country,
        jurisdictions: [...options.jurisdictions],
        gridZone: options.gridZone ?? "unknown",
        operator: "facility",
        latencyMs: { ...options.latencyMs },
      },
    ],
    halls: [{ id: hallId, siteId }],
    racks,
    nodes,
  };
}

function rackId(hallId: string, n: number): string {
  return `${hallId}-r${String(n).padStart(3, "0")}`;
}

interface TypeGroup {
  type: NodeType;
  rows: NodeRow[];
}

/** Node types in order of first appearance; ids are the model, plus the GPU count when a model has several. */
function groupByType(rows: readonly NodeRow[]): TypeGroup[] {
  const byKey = new Map<string, NodeRow[]>();
  const countsOfModel = new Map<string, Set<number>>();
  for (const row of rows) {
    const key = `${row.model}\u0000${row.gpus}`;
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
    const counts = countsOfModel.get(row.model) ?? new Set<number>();
    counts.add(row.gpus);
    countsOfModel.set(row.model, counts);
  }
  return [...byKey.values()].map((group) => {
    const { model, gpus } = group[0]!;
    const base = model.toLowerCase().replace(/[^a-z0-9._-]/g, "-");
    const id = countsOfModel.get(model)!.size > 1 ? `${base}-${gpus}gpu` : base;
    const { cpuMilli, memoryMib } = mostCommonServer(group);
    const figures = gpuFigures(model);
    const cpuCores = cpuMilli / 1000;
    const type: NodeType = {
      id,
      gpuModel: model,
      gpusPerNode: gpus,
      gpuMemoryGiB: figures.memoryGiB,
      gpuIdlePowerW: figures.maxPowerW * IDLE_POWER_SHARE,
      gpuMaxPowerW: figures.maxPowerW,
      cpuCores,
      memoryGiB: memoryMib / 1024,
      nodeOverheadPowerW: nodeOverheadPowerW(cpuCores),
      // The trace's cluster shares GPUs between tasks (gpu_milli < 1000).
      gpuSharing: true,
    };
    return { type, rows: group };
  });
}

/** The (CPU, memory) configuration most nodes of a type have; ties go to the one seen first. */
function mostCommonServer(rows: readonly NodeRow[]): { cpuMilli: number; memoryMib: number } {
  const counts = new Map<string, number>();
  let best = rows[0]!;
  let bestCount = 0;
  for (const row of rows) {
    const key = `${row.cpuMilli}/${row.memoryMib}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > bestCount) {
      best = row;
      bestCount = count;
    }
  }
  return { cpuMilli: best.cpuMilli, memoryMib: best.memoryMib };
}

function readNodeRows(csvText: string, source: string): NodeRow[] {
  const table = readCsvTable(csvText, source);
  const issues = new IssueList();
  const known = new Set<string>(ALIBABA_NODE_COLUMNS);
  const index = indexColumns(
    table.header,
    table.headerLine,
    {
      isKnown: (n) => known.has(n),
      knownText: ALIBABA_NODE_COLUMNS.join(", "),
      required: ALIBABA_NODE_COLUMNS,
    },
    issues,
  );
  issues.throwIfAny(source);
  const rows: NodeRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of table.rows) {
    if (issues.full) break;
    const cell = (column: Column): string => (fields[index.get(column)!] ?? "").trim();
    const count = (column: Column): number => {
      const reading = readNumberCell(cell(column), { integer: true, min: 0 });
      if (reading.ok) return reading.value;
      issues.add([column], reading.problem, line);
      return 0;
    };
    const sn = cell("sn");
    if (!idSchema.safeParse(sn).success) {
      issues.add(
        ["sn"],
        `must be a node name usable in an id (lower-case letters, digits, '.', '_', '-'), not "${sn}"`,
        line,
      );
    } else if (firstLineOf.has(sn)) {
      issues.add(["sn"], `duplicate node '${sn}' (first on line ${firstLineOf.get(sn)})`, line);
    } else {
      firstLineOf.set(sn, line);
    }
    const gpus = count("gpu");
    const model = cell("model");
    if (gpus > 0 && model === "") issues.add(["model"], "is required for a node with GPUs (gpu > 0)", line);
    rows.push({ sn, cpuMilli: count("cpu_milli"), memoryMib: count("memory_mib"), gpus, model });
  }
  issues.throwIfAny(source);
  return rows;
}
