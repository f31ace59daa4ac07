// What the HTTP API (and anything else at the edge) asks of the running control plane: submissions and
// cancellations that must go through the scheduler's rules, and the live views only the control loop has
// (waiting reasons, estimated starts, occupancy). Plain reads of stored records go to the Store directly.
import type { ClusterOrphan } from "../executors/executor.ts";
import type { Facility, Job, Policy, Tenant } from "../model/types.ts";
import type { WaitingReason } from "../scheduler/decisions.ts";
import type { JobRecord, Principal, TenantRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

export type SubmitOutcome =
  | { ok: true; record: JobRecord; created: boolean }
  /** The job can never run here (or breaks a rule): nothing was stored. `field` is the submission's field. */
  | { ok: false; field: string; reason: string };

export type CancelOutcome =
  | { ok: true; record: JobRecord }
  | { ok: false; kind: "not-found" }
  | { ok: false; kind: "finished"; record: JobRecord };

export interface QueueEntry {
  jobId: string;
  tenantId: string;
  tierId: string;
  gpus: number;
  submittedAtMs: number;
  reason: WaitingReason;
  /** The reason as a sentence, as `fjord explain` prints it. */
  sentence: string;
  estimatedStartAtMs: number | null;
}

export interface QueueView {
  /** When the scheduling pass these reasons come from ran. */
  atMs: number;
  /**
   * Tiers in priority order, each with how many jobs wait in it and the waiting jobs asked for, in the
   * order the scheduler considers them.
   */
  tiers: { tierId: string; waitingCount: number; waiting: QueueEntry[] }[];
}

export interface SiteOccupancy {
  siteId: string;
  jurisdictions: string[];
  nodes: number;
  nodesUp: number;
  gpus: number;
  /** GPUs on nodes that are up. */
  availableGpus: number;
  allocatedGpus: number;
  allocatedByTier: Record<string, number>;
}

export interface OccupancyView {
  atMs: number;
  sites: SiteOccupancy[];
}

export type ControlPlaneEvent =
  | { type: "job"; atMs: number; record: JobRecord }
  | { type: "queue"; atMs: number; queued: number; queuedByTier: Record<string, number> };

export interface ControlPlaneStats {
  passes: number;
  lastPassDurationMs: number | null;
  /** How far behind the executor's clock the jobs it should have finished are, in ms (0 when on time). */
  executorLagMs: number;
  allocatedGpusByTier: Record<string, number>;
  queuedByTier: Record<string, number>;
}

export interface ControlPlane {
  readonly facility: Facility;
  readonly store: Store;
  policy(): Policy;
  /** The control plane's clock (UTC ms); the simulated executor may run it faster than real time. */
  nowMs(): number;
  /** Checks the job against the facility and policy, stores it queued and wakes the scheduler. */
  submit(principal: Principal, job: Job, idempotencyKey: string | null): Promise<SubmitOutcome>;
  /** Cancels a queued or running job (the caller has already checked the principal may see it). */
  cancel(principal: Principal, jobId: string): Promise<CancelOutcome>;
  /**
   * Creates or changes a tenant (the caller has checked the principal is an operator and the body is
   * valid): a policy change, audited, and the scheduler works on the new policy from the next pass.
   * Throws UnknownTierError when the tenant names a tier the policy does not have.
   */
  putTenant(principal: Principal, tenant: Tenant): Promise<TenantRecord>;
  /**
   * The queue with every tier's count, and per tier the first `limitPerTier` entries of `tenantId`, or of
   * everyone when it is null.
   */
  queue(tenantId: string | null, limitPerTier: number): Promise<QueueView>;
  occupancy(): OccupancyView;
  stats(): ControlPlaneStats;
  /** Job and queue changes as they happen; returns the unsubscribe function. */
  subscribe(listener: (event: ControlPlaneEvent) => void): () => void;
  /** True once the queue and running jobs are restored and the control loop runs. */
  ready(): boolean;
  /** Where the control plane is in its life, and what it is doing, for /readyz. */
  lifecycle(): Lifecycle;
  /** Work on the sites' clusters that Fjord did not submit (their nodes get none of Fjord's work). */
  orphans(): ClusterOrphan[];
}

/**
 * One state for the control plane's whole life. While `loading`, the calls that need the scheduler
 * (submit, cancel, putTenant, queue, occupancy) throw StartingError; reads of the store work throughout.
 */
export interface Lifecycle {
  state: "created" | "loading" | "ready" | "stopping" | "stopped";
  /** What it is doing, as a sentence for operators: "loading 34,012 jobs (4,022 running) into the scheduler". */
  detail: string;
}

/** A call that needs the scheduler came before the control plane had restored its state: try again shortly. */
export class StartingError extends Error {
  override readonly name = "StartingError";
  constructor(
    detail: string,
    /** When to try again, in seconds (the Retry-After header). */
    readonly retryAfterS: number,
  ) {
    super(`Fjord is starting (${detail}); try again in ${retryAfterS} s`);
  }
}

export class UnknownTierError extends Error {
  override readonly name = "UnknownTierError";
  constructor(
    readonly tierId: string,
    readonly knownTierIds: string[],
  ) {
    super(`tier ${tierId} is not in the policy (tiers: ${knownTierIds.join(", ")})`);
  }
}
