// What the control plane keeps: tenants, API keys, jobs with their state and GPUs, the audit chain and a
// few named clocks. One shape for every backend (PGlite, PostgreSQL); times are UTC epoch milliseconds.
import type { Allocation, Job, NodeAllocation, Tenant } from "../model/types.ts";

export type Role = "operator" | "tenant-admin" | "tenant-member";

/** Who makes a request: the API key's id, role and tenant (null for operators, who belong to none). */
export interface Principal {
  keyId: string;
  role: Role;
  tenantId: string | null;
}

export interface TenantRecord extends Tenant {
  createdAtMs: number;
}

export interface ApiKeyRecord {
  /** `key_…`; the public half of the key, used to look it up. */
  id: string;
  tenantId: string | null;
  role: Role;
  name: string;
  /** Slow hash of the secret half (scrypt, with its parameters and salt), never the secret itself. */
  secretHash: string;
  /** Requests per minute this key may make; null = the server default. */
  rateLimitPerMin: number | null;
  createdAtMs: number;
  revokedAtMs: number | null;
}

/**
 * queued → running → completed | failed; queued | running → cancelled; running → queued again when the
 * job is preempted or its node fails (it restarts from its last checkpoint).
 */
export type JobState = "queued" | "running" | "completed" | "failed" | "cancelled";

export const TERMINAL_STATES: readonly JobState[] = ["completed", "failed", "cancelled"];

export interface JobRecord {
  job: Job;
  state: JobState;
  /** API key that submitted the job. */
  submittedBy: string;
  /** The client's Idempotency-Key, unique per tenant; a retried submission returns this record. */
  idempotencyKey: string | null;
  /** Start of the current (or last) run; null if it never started. */
  startedAtMs: number | null;
  endedAtMs: number | null;
  /** GPUs held now (running) or at the end of the last run; null if it never ran. */
  allocation: Allocation | null;
  /**
   * The GPU indices the site's cluster gave the current (or last) run, per node, as its executor reported
   * them (Slurm picks indices itself, so they may differ from `allocation`'s); null until reported, and
   * always for simulated sites.
   */
  clusterGpus: NodeAllocation[] | null;
  /** Times the job was preempted or lost to a node failure and went back to the queue. */
  restarts: number;
  /** GPU-seconds the job has held over all its runs that have ended. */
  gpuSecondsUsed: number;
  /** Incremented by every state change; a transition names the version it expects. */
  version: number;
}

/** The part of one run of a job inside a window, with what accounting needs to know about the job. */
export interface JobRunSlice {
  jobId: string;
  tenantId: string;
  /** Where the run held its GPUs; null for runs recorded before Fjord kept it. */
  siteId: string | null;
  gpus: number;
  startAtMs: number;
  endAtMs: number;
  /** The job's labels: its kind (`class`) and any `gpuUtilisation` set how hard its GPUs work. */
  labels: Record<string, string>;
}

/** A job as accepted: queued, never run, at its first version. */
export function queuedRecord(job: Job, submittedBy: string, idempotencyKey: string | null): JobRecord {
  return {
    job,
    state: "queued",
    submittedBy,
    idempotencyKey,
    startedAtMs: null,
    endedAtMs: null,
    allocation: null,
    clusterGpus: null,
    restarts: 0,
    gpuSecondsUsed: 0,
    version: 1,
  };
}

/** One entry of the append-only, hash-chained audit log. */
export interface AuditEntry {
  /** 1, 2, 3… with no gaps. */
  seq: number;
  atMs: number;
  /** `key_…` for API callers, `scheduler` / `executor` / `system` for the control plane itself. */
  actor: string;
  /** Dotted verb, e.g. `job.submit`, `job.start`, `tenant.read`, `policy.change`. */
  action: string;
  /** Tenant whose data or work the entry concerns; null for facility-wide entries. */
  tenantId: string | null;
  objectType: string;
  objectId: string;
  details: Record<string, unknown>;
  /** Hash of the previous entry; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 over prevHash and this entry's canonical content. */
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, "seq" | "prevHash" | "hash">;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}
