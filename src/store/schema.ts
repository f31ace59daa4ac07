// The database as Kysely sees it: one interface per table, column names as in SQL. Times are UTC epoch
// milliseconds in bigint columns (both drivers are told to read int8 as a JS number, exact up to 2^53).
// jsonb columns are written as JSON text, so arrays and strings reach PostgreSQL as JSON and not as SQL
// arrays or bare text, and read back already parsed.
import type { ColumnType, JSONColumnType } from "kysely";
import type { Allocation, Job, NodeAllocation, QuotaMode } from "../model/types.ts";
import type { JobState, Role } from "./records.ts";

/** A jsonb column holding any JSON value (kv values, audit details). */
type JsonValueColumn<T> = ColumnType<T, string, string>;

export interface TenantsTable {
  id: string;
  name: string;
  tier_id: string;
  weight: number;
  quota_gpus: number | null;
  quota_mode: QuotaMode;
  org_number: string | null;
  country: string | null;
  created_at_ms: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string | null;
  role: Role;
  name: string;
  secret_hash: string;
  rate_limit_per_min: number | null;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

export interface JobsTable {
  id: string;
  tenant_id: string;
  /** The submitted Job as it came in; the columns below are what changes over its life. */
  spec: JSONColumnType<Job>;
  /** Copied out of spec so listings can use an index. */
  submitted_at_ms: number;
  state: JobState;
  submitted_by: string;
  idempotency_key: string | null;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  allocation: JSONColumnType<Allocation | null, string | null, string | null>;
  /** The GPU indices the site's cluster gave the current (or last) run, as its executor reported them. */
  cluster_gpus: JSONColumnType<NodeAllocation[] | null, string | null, string | null>;
  restarts: number;
  gpu_seconds_used: number;
  version: number;
}

/** One row per GPU held: the primary key makes the database refuse a GPU given to two jobs. */
export interface GpuAllocationsTable {
  node_id: string;
  gpu_index: number;
  job_id: string;
}

/** Every run of every job, so usage can be clipped to any window even for jobs that restarted. */
export interface JobRunsTable {
  job_id: string;
  /** The job's restart count when this run started: 0 for the first run. */
  run: number;
  tenant_id: string;
  /** Where the run held its GPUs; null only for runs recorded before Fjord kept it (migration 0002). */
  site_id: string | null;
  gpus: number;
  started_at_ms: number;
  /** null while the run goes on. */
  ended_at_ms: number | null;
}

export interface AuditLogTable {
  seq: number;
  at_ms: number;
  actor: string;
  action: string;
  tenant_id: string | null;
  object_type: string;
  object_id: string;
  details: JsonValueColumn<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface KvTable {
  key: string;
  value: JsonValueColumn<unknown>;
}

export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  jobs: JobsTable;
  gpu_allocations: GpuAllocationsTable;
  job_runs: JobRunsTable;
  audit_log: AuditLogTable;
  kv: KvTable;
}
