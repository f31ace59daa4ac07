// Alibaba GPU trace v2025 (cluster-trace-gpu-v2025: GPU-disaggregated DLRM serving) → validated instances.
// The header is checked once: a missing, unknown or repeated column is an InputError at the header line.
// A row whose cells are not what their columns promise is not an error of the whole file: it is rejected
// with a named reason and its line, so a replay counts it instead of failing on one bad row among 23,871.
// What a valid instance means for a replay is decided in alibaba-2025-jobs.ts.
import { idSchema, unstorableTextProblem } from "../model/input-schemas.ts";
import { readNumberCell } from "./csv-cells.ts";
import { indexColumns } from "./csv-columns.ts";
import { readCsvTable } from "./csv-table.ts";
import { IssueList } from "./issue-list.ts";

/** Resource columns: a number, 0 or more, in every row. */
const RESOURCE_COLUMNS = [
  "cpu_request",
  "cpu_limit",
  "gpu_request",
  "gpu_limit",
  "rdma_request",
  "rdma_limit",
  "memory_request",
  "memory_limit",
  "disk_request",
  "disk_limit",
] as const;
/** Seconds from the trace's start, or empty. */
const TIME_COLUMNS = ["creation_time", "scheduled_time", "deletion_time"] as const;

export const ALIBABA_2025_COLUMNS = [
  "instance_sn",
  "role",
  "app_name",
  ...RESOURCE_COLUMNS,
  "max_instance_per_node",
  ...TIME_COLUMNS,
] as const;
type Column = (typeof ALIBABA_2025_COLUMNS)[number];

/** `CN`: an instance on a CPU node; `HN`: on a heterogeneous (GPU) node. */
export const INSTANCE_ROLES = ["CN", "HN"] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

/** One inference instance as the trace gives it. Times are seconds from the start of the trace. */
export interface Alibaba2025Instance {
  /** 1-based line in the CSV file. */
  line: number;
  id: string;
  role: InstanceRole;
  /** The service (application group) the instance belongs to. */
  app: string;
  /** gpu_request as given: whole GPUs in the published trace; a fraction is kept, not rounded, here. */
  gpus: number;
  /** Percent of one RDMA NIC's bandwidth. */
  rdmaPercent: number;
  /** At most this many instances of the app on one node; null = no limit (`-1`). */
  maxPerNode: number | null;
  /** null: the instance existed before the trace started. */
  creationS: number | null;
  /** null: scheduled before the trace started, or (with a creation_time) never scheduled. */
  scheduledS: number | null;
  /** null: still running when the trace ended. */
  deletionS: number | null;
}

/** A row that is not an instance, with why. */
export interface RejectedRow {
  reason: string;
  line: number;
}

export interface Alibaba2025Rows {
  instances: Alibaba2025Instance[];
  /** In file order. */
  rejected: RejectedRow[];
}

export const SKIP_BAD_ID = "instance_sn not usable as a job id (lower-case letters, digits, '.', '_', '-')";
export const SKIP_DUPLICATE_ID = "duplicate instance_sn (a later row repeats an earlier id)";
export const SKIP_UNKNOWN_ROLE = "role not CN or HN";
export const SKIP_UNSTORABLE_APP = "app_name holds NUL or a lone UTF-16 surrogate";
export const SKIP_GPU_LIMIT = "gpu_limit differs from gpu_request (GPUs are not overcommitted)";
export const SKIP_RDMA_RANGE = "rdma_request above 100 (percent of one RDMA NIC)";
export const SKIP_MAX_PER_NODE = "max_instance_per_node neither -1 nor a whole number of 1 or more";
export const skipEmpty = (column: Column): string => `${column} is empty`;
export const skipNotNumber = (column: Column): string => `${column} is not a number`;
export const skipNegative = (column: Column): string => `${column} is negative`;

/** pandas writes a missing time as an empty cell; other exports write `NaN`, as the trace's README says. */
const NOT_A_TIME = /^nan$/i;
const ANY_NUMBER = { integer: false, min: Number.NEGATIVE_INFINITY } as const;

type Reading = { ok: true; value: number } | { ok: false; reason: string };
type CellOf = (column: Column) => string;

/** Parses the CSV; throws InputError for malformed CSV and for a header without the format's columns. */
export function readAlibaba2025Rows(csvText: string, source: string): Alibaba2025Rows {
  const table = readCsvTable(csvText, source);
  const issues = new IssueList();
  const known = new Set<string>(ALIBABA_2025_COLUMNS);
  const index = indexColumns(
    table.header,
    table.headerLine,
    {
      isKnown: (name) => known.has(name),
      knownText: ALIBABA_2025_COLUMNS.join(", "),
      required: ALIBABA_2025_COLUMNS,
    },
    issues,
  );
  issues.throwIfAny(source);

  const instances: Alibaba2025Instance[] = [];
  const rejected: RejectedRow[] = [];
  const seenIds = new Set<string>();
  for (const { line, fields } of table.rows) {
    const cell: CellOf = (column) => (fields[index.get(column)!] ?? "").trim();
    const row = readRow(cell, line, seenIds);
    if (typeof row === "string") rejected.push({ reason: row, line });
    else instances.push(row);
  }
  return { instances, rejected };
}

/** The instance, or the reason the row is not one (the first problem found, in column order). */
function readRow(cell: CellOf, line: number, seenIds: Set<string>): Alibaba2025Instance | string {
  const id = cell("instance_sn");
  if (id === "") return skipEmpty("instance_sn");
  if (!idSchema.safeParse(id).success) return SKIP_BAD_ID;
  if (seenIds.has(id)) return SKIP_DUPLICATE_ID;
  seenIds.add(id);
  const role = cell("role");
  if (role === "") return skipEmpty("role");
  if (!isRole(role)) return SKIP_UNKNOWN_ROLE;
  const app = cell("app_name");
  if (app === "") return skipEmpty("app_name");
  if (unstorableTextProblem(app) !== null) return SKIP_UNSTORABLE_APP;

  const resources = new Map<Column, number>();
  for (const column of RESOURCE_COLUMNS) {
    const reading = readAmount(cell, column);
    if (!reading.ok) return reading.reason;
    resources.set(column, reading.value);
  }
  const gpus = resources.get("gpu_request")!;
  if (resources.get("gpu_limit") !== gpus) return SKIP_GPU_LIMIT;
  const rdmaPercent = resources.get("rdma_request")!;
  if (rdmaPercent > 100) return SKIP_RDMA_RANGE;

  const perNode = cell("max_instance_per_node");
  if (perNode === "") return skipEmpty("max_instance_per_node");
  const maxPerNode = readNumberCell(perNode, ANY_NUMBER);
  if (!maxPerNode.ok) return skipNotNumber("max_instance_per_node");
  if (maxPerNode.value !== -1 && !(Number.isInteger(maxPerNode.value) && maxPerNode.value >= 1))
    return SKIP_MAX_PER_NODE;

  const times: (number | null)[] = [];
  for (const column of TIME_COLUMNS) {
    const text = cell(column);
    if (text === "" || NOT_A_TIME.test(text)) {
      times.push(null);
      continue;
    }
    const reading = readAmount(cell, column);
    if (!reading.ok) return reading.reason;
    // The published file has float noise (`1938696.0000000002`): a runtime a hair over a whole minute
    // would otherwise be estimated a minute longer.
    times.push(Math.round(reading.value * 1000) / 1000);
  }
  const [creationS, scheduledS, deletionS] = times as [number | null, number | null, number | null];
  return {
    line,
    id,
    role,
    app,
    gpus,
    rdmaPercent,
    maxPerNode: maxPerNode.value === -1 ? null : maxPerNode.value,
    creationS,
    scheduledS,
    deletionS,
  };
}

/** A number of 0 or more; an empty cell, text and a negative number are each their own reason. */
function readAmount(cell: CellOf, column: Column): Reading {
  const text = cell(column);
  if (text === "") return { ok: false, reason: skipEmpty(column) };
  const reading = readNumberCell(text, ANY_NUMBER);
  if (!reading.ok) return { ok: false, reason: skipNotNumber(column) };
  if (reading.value < 0) return { ok: false, reason: skipNegative(column) };
  return reading;
}

function isRole(text: string): text is InstanceRole {
  return (INSTANCE_ROLES as readonly string[]).includes(text);
}
