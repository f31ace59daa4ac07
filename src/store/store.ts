// The one persistence interface of the control plane. PGlite (embedded, the default) and PostgreSQL sit
// behind it with the same schema and migrations; the same test suite runs against both.
//
// Every write that changes a job also appends its audit entries in the same transaction, so the log and
// the state can never disagree: either both happened or neither did.
import type { Allocation, NodeAllocation, Tenant } from "../model/types.ts";
import type {
  ApiKeyRecord,
  AuditDraft,
  AuditEntry,
  JobRecord,
  JobRunSlice,
  JobState,
  Page,
  TenantRecord,
} from "./records.ts";

/** A job state change. Each names the state(s) it expects; one whose job is elsewhere is not applied. */
export type JobTransition =
  /** queued → running on exactly these GPUs. */
  | { kind: "start"; jobId: string; atMs: number; allocation: Allocation; audit: AuditDraft }
  /** running → completed | failed; the GPUs are released and the run's GPU-seconds added to the job. */
  | { kind: "finish"; jobId: string; atMs: number; outcome: "completed" | "failed"; audit: AuditDraft }
  /** running → queued (preempted, or its node failed); GPUs released, restarts + 1. */
  | { kind: "requeue"; jobId: string; atMs: number; audit: AuditDraft }
  /** queued | running → cancelled; GPUs released if it held any. */
  | { kind: "cancel"; jobId: string; atMs: number; audit: AuditDraft };

export interface TransitionOutcome {
  /** Records after the change, for the transitions that applied, in input order. */
  applied: JobRecord[];
  /** Transitions whose job was not in an expected state (or unknown), with its current state. */
  skipped: { jobId: string; kind: JobTransition["kind"]; state: JobState | null }[];
}

export interface JobFilter {
  tenantId?: string;
  states?: JobState[];
  /** At most this many (1…1000). */
  limit: number;
  cursor?: string | null;
}

export interface AuditFilter {
  tenantId?: string;
  /** Entries with seq greater than this. */
  afterSeq?: number;
  limit: number;
  cursor?: string | null;
}

export interface Store {
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Answers a trivial query: the database is reachable. */
  ping(): Promise<boolean>;

  /** Creates the tenant or replaces its settings; appends `audit` in the same transaction. */
  putTenant(tenant: Tenant, atMs: number, audit: AuditDraft): Promise<TenantRecord>;
  getTenant(id: string): Promise<TenantRecord | null>;
  listTenants(): Promise<TenantRecord[]>;

  insertApiKey(key: ApiKeyRecord, audit: AuditDraft): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  /** Keys of one tenant, or operator keys for null; secret hashes included (callers must not expose them). */
  listApiKeys(tenantId: string | null): Promise<ApiKeyRecord[]>;
  /** false if there is no such key or it was already revoked. */
  revokeApiKey(id: string, atMs: number, audit: AuditDraft): Promise<boolean>;

  /**
   * Accepts a queued job. With an idempotency key already used by the same tenant, nothing is written and
   * the earlier record comes back with created = false. A job id already taken throws DuplicateJobError.
   */
  submitJob(record: JobRecord, audit: AuditDraft): Promise<{ record: JobRecord; created: boolean }>;
  getJob(id: string): Promise<JobRecord | null>;
  /** In submission order (submittedAtMs, then id); the cursor continues after the last item. */
  listJobs(filter: JobFilter): Promise<Page<JobRecord>>;
  /** Every queued and running job, to rebuild the scheduler after a restart. */
  liveJobs(): Promise<JobRecord[]>;
  /**
   * Keeps the GPU indices a cluster gave the job's run that started at `startedAtMs` (running or ended);
   * false when the job's current or last run is another one.
   */
  recordClusterGpus(jobId: string, startedAtMs: number, nodes: NodeAllocation[]): Promise<boolean>;
  /** Applies the transitions that fit, all in one transaction with their audit entries. */
  transition(transitions: JobTransition[]): Promise<TransitionOutcome>;
  /**
   * Every run overlapping [fromMs, toMs), clipped to it, in start order; a run still going ends at `nowMs`.
   * All tenants' runs: a tenant's share of a site's cooling and losses depends on everything running there.
   */
  jobRunsOverlapping(fromMs: number, toMs: number, nowMs: number): Promise<JobRunSlice[]>;

  /** Appends entries (reads, policy changes) that go with no other write. */
  appendAudit(entries: AuditDraft[]): Promise<AuditEntry[]>;
  listAudit(filter: AuditFilter): Promise<Page<AuditEntry>>;
  /** Entries in seq order from `fromSeq` (inclusive), for verification and export. */
  auditRange(fromSeq: number, limit: number): Promise<AuditEntry[]>;

  /** Small named values that must survive a restart (clocks, fair-share usage). */
  getValue<T>(key: string): Promise<T | null>;
  setValue(key: string, value: unknown): Promise<void>;
}

export class DuplicateJobError extends Error {
  override readonly name = "DuplicateJobError";
  constructor(readonly jobId: string) {
    super(`a job with id ${jobId} already exists`);
  }
}
