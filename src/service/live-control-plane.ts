// The control loop: the scheduling core run on the live, stored state. Every change (a submission, a
// job's end, a cancellation) asks for a quick pass soon; a full pass runs on a timer so reservations,
// start windows and reasons for the whole queue stay current. The core runs on a thread of its own
// (src/workers/scheduler-thread.ts), so the API keeps answering during a long pass. Decisions are stored first (one
// transaction with their audit entries) and only then handed to the executor, so a crash between the
// two restarts from what the database says, never from what only memory knew.
import { deferJob } from "../accounting/defer-job.ts";
import { deferralWindow, optedIntoDeferral, withDeferral } from "../accounting/deferral-decision.ts";
import type { Period } from "../accounting/period.ts";
import type { Signals } from "../accounting/signals.ts";
import type { ClusterOrphan, Executor, ExecutorListener, ExecutorOutcome } from "../executors/executor.ts";
import type { Facility, Job, NodeAllocation, Policy, Tenant } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { totalGpus } from "../scheduler/request.ts";
import type { SessionSnapshot } from "../scheduler/session.ts";
import { type JobRecord, type Principal, queuedRecord, type TenantRecord } from "../store/records.ts";
import type { JobTransition, Store } from "../store/store.ts";
import { SchedulerThread } from "../workers/scheduler-thread.ts";
import { AdmissionChecker } from "./admission-check.ts";
import { jobDraft, startDraft } from "./audit-drafts.ts";
import type {
  CancelOutcome,
  ControlPlane,
  ControlPlaneEvent,
  ControlPlaneStats,
  Lifecycle,
  OccupancyView,
  QueueView,
  SiteOccupancy,
  SubmitOutcome,
} from "./control-plane.ts";
import { StartingError, UnknownTierError } from "./control-plane.ts";
import type { FairShareLedger } from "./fair-share-ledger.ts";
import type { PassResult } from "./live-scheduler.ts";
import { SerialLock } from "./serial-lock.ts";
import type { ServiceClock } from "./service-clock.ts";

export const CLOCK_KEY = "control-plane.clock";
export const LEDGER_KEY = "control-plane.fair-share";

export interface LoopOptions {
  /** Real ms to wait after a change before the quick pass, so a burst of submissions shares one pass. */
  debounceMs: number;
  /** Real ms between full passes over the whole queue. */
  fullPassIntervalMs: number;
  /** Jobs a quick pass examines at the head of each phase. */
  quickPassJobs: number;
  /** A pass's starts and preemptions stored per transaction at most. */
  decisionsPerTransaction: number;
}

export const DEFAULT_LOOP_OPTIONS: LoopOptions = {
  debounceMs: 20,
  fullPassIntervalMs: 5_000,
  quickPassJobs: 64,
  decisionsPerTransaction: 500,
};

/** Hourly signals over a period, or why there are none; the usage figures' source fits (api/usage-signals.ts). */
export interface DeferralSignals {
  signalsFor(period: Period): { ok: true; signals: Signals } | { ok: false; problem: string };
}

/** A job's end as the executor reported it, waiting to be stored. */
interface EndedJob {
  atMs: number;
  outcome: ExecutorOutcome;
  detail: string | undefined;
}

interface LiveJob {
  job: Job;
  state: "queued" | "running";
  startedAtMs: number | null;
  siteId: string | null;
  gpus: number;
}

export class LiveControlPlane implements ControlPlane, ExecutorListener {
  readonly facility: Facility;
  private readonly compiled: CompiledFacility;
  private currentPolicy: Policy;
  private readonly scheduler: SchedulerThread;
  /** GPU and queue counts as of the last pass, for stats(). */
  private lastSnapshot: SessionSnapshot | null = null;
  private checker: AdmissionChecker;
  private readonly live = new Map<string, LiveJob>();
  private clockSavedAtWallMs = 0;
  private readonly listeners = new Set<(event: ControlPlaneEvent) => void>();
  private readonly lock = new SerialLock();
  private passTimer: NodeJS.Timeout | null = null;
  private fullTimer: NodeJS.Timeout | null = null;
  private passes = 0;
  private lastPassDurationMs: number | null = null;
  private life: Lifecycle = { state: "created", detail: "not started" };
  /** Settles once the first pass after start() has run (or failed); tests wait for it. */
  private firstPassDone: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  /** Jobs the executor said ended, not stored yet (see finished()). */
  private readonly endedJobs = new Map<string, EndedJob>();
  private endsScheduled = false;
  private executor: Executor | null = null;
  /** Nodes each site's cluster takes no new work on, as its executor last said. */
  private readonly unavailableBySite = new Map<string, string[]>();
  private readonly ledger: FairShareLedger;
  /** Errors of background passes, surfaced through stats and logs rather than crashing the process. */
  lastError: Error | null = null;

  constructor(
    readonly store: Store,
    facility: Facility,
    policy: Policy,
    private readonly clock: ServiceClock,
    ledger: FairShareLedger,
    private readonly options: LoopOptions = DEFAULT_LOOP_OPTIONS,
    /** Where deferral reads its signals; null = no job is deferred, whatever the policy says. */
    private readonly deferralSignals: DeferralSignals | null = null,
    /** Sites that run only jobs giving a command of their own (admission-check.ts). */
    private readonly needCommand: ReadonlySet<string> = new Set(),
  ) {
    this.facility = facility;
    this.compiled = compileFacility(facility);
    this.currentPolicy = policy;
    this.scheduler = new SchedulerThread(facility, policy, (err) => {
      // Whatever the command was, the store says what is true: set the scheduler afresh from it.
      this.fail(err);
      void this.lock.run(() => this.resetScheduler()).catch((e: unknown) => this.fail(e));
    });
    this.checker = new AdmissionChecker(this.compiled, policy, needCommand);
    this.ledger = ledger;
  }

  /**
   * Restores queued and running jobs from the store into the scheduler thread, adopts the running ones in
   * the executor and starts the loop; resolves once ready. The first pass runs after that, on the
   * scheduler's thread: a long one never keeps the service from being ready (see firstPass()).
   */
  async start(executor: Executor): Promise<void> {
    this.executor = executor;
    this.life = { state: "loading", detail: "reading the queued and running jobs from the database" };
    try {
      await this.lock.run(() => this.load(executor));
    } catch (err) {
      // Stopped while loading: the thread it was loading into is gone, which is no failure.
      if (this.stopping()) return;
      throw err;
    }
    if (this.stopping()) return;
    this.life = { state: "ready", detail: "ready" };
    this.firstPassDone = this.runPass(true).catch((err: unknown) => this.fail(err));
    this.fullTimer = setInterval(() => this.requestPass(true), this.options.fullPassIntervalMs);
    this.fullTimer.unref();
  }

  private async load(executor: Executor): Promise<void> {
    const records = await this.store.liveJobs();
    if (this.stopping()) return;
    const running = records.filter((r) => r.state === "running").length;
    this.life = {
      state: "loading",
      detail: `loading ${count(records.length)} jobs (${count(running)} running) into the scheduler`,
    };
    this.resetSchedulerTo(records);
    for (const r of records)
      if (r.state === "running" && r.allocation !== null && r.startedAtMs !== null)
        executor.start(r.job, r.allocation, r.startedAtMs);
    executor.adoptionComplete?.();
    // Answered once the thread has taken every job in, so counts and queue views are whole from now on.
    this.lastSnapshot = await this.scheduler.snapshot();
  }

  /** Settles once the first pass after start() has stored and handed on its decisions. */
  firstPass(): Promise<void> {
    return this.firstPassDone;
  }

  /**
   * Stops the loop, the scheduler thread and the executor, and saves the clock and usage. The scheduler
   * thread goes first: a pass in flight is abandoned rather than waited for (the store holds every decision
   * carried out), so stopping takes as long as the store's writes, however long the queue.
   */
  stop(): Promise<void> {
    this.stopped ??= this.stopNow();
    return this.stopped;
  }

  private async stopNow(): Promise<void> {
    this.life = { state: "stopping", detail: "stopping" };
    if (this.passTimer) clearTimeout(this.passTimer);
    if (this.fullTimer) clearInterval(this.fullTimer);
    try {
      await this.scheduler.close();
    } finally {
      await this.lock.run(async () => {
        await this.executor?.close();
        await this.store.setValue(CLOCK_KEY, this.clock.nowMs());
        await this.store.setValue(LEDGER_KEY, this.ledger.data());
      });
      this.life = { state: "stopped", detail: "stopped" };
    }
  }

  policy(): Policy {
    return this.currentPolicy;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /** False until restored, once stopped, and if the scheduler thread died: nothing would schedule the queue. */
  ready(): boolean {
    return this.life.state === "ready" && this.scheduler.failure() === null;
  }

  lifecycle(): Lifecycle {
    return this.life;
  }

  async submit(principal: Principal, submitted: Job, idempotencyKey: string | null): Promise<SubmitOutcome> {
    this.requireLoaded();
    const check = this.checker.check(submitted);
    if (!check.ok) return check;
    // Decided once, before the job is stored, so the stored job, its audit entry and every pass agree.
    const job = this.deferred(submitted);
    const record = queuedRecord(job, principal.keyId, idempotencyKey);
    const audit = jobDraft(job.submittedAtMs, principal.keyId, "job.submit", job, {
      gpus: totalGpus(job.shape),
      residency: job.residency,
    });
    const stored = await this.store.submitJob(record, audit);
    if (stored.created && !this.stopping()) {
      // The job is durable before the scheduler sees it: a pass can never start a job the store lacks.
      this.scheduler.submit(job);
      this.live.set(job.id, {
        job,
        state: "queued",
        startedAtMs: null,
        siteId: null,
        gpus: totalGpus(job.shape),
      });
      this.emit({ type: "job", atMs: job.submittedAtMs, record: stored.record });
      this.requestPass(false);
    }
    return { ok: true, record: stored.record, created: stored.created };
  }

  /** The job with the policy's deferral decided; jobs that did not opt in come back as they were. */
  private deferred(job: Job): Job {
    const policy = this.currentPolicy;
    if (policy.deferral === undefined || this.deferralSignals === null || !optedIntoDeferral(job)) return job;
    const reading = this.deferralSignals.signalsFor(deferralWindow(job, policy.deferral));
    // Without signals for the hours it could wait through, nothing shows waiting would save anything.
    return reading.ok ? deferJob(job, this.compiled, policy, reading.signals) : withDeferral(job, null);
  }

  cancel(principal: Principal, jobId: string): Promise<CancelOutcome> {
    this.requireLoaded();
    return this.lock.run(async () => {
      const record = await this.store.getJob(jobId);
      if (!record) return { ok: false, kind: "not-found" };
      if (record.state !== "queued" && record.state !== "running")
        return { ok: false, kind: "finished", record };
      const atMs = this.clock.nowMs();
      const outcome = await this.store.transition([
        {
          kind: "cancel",
          jobId,
          atMs,
          audit: jobDraft(atMs, principal.keyId, "job.cancel", record.job, { from: record.state }),
        },
      ]);
      const applied = outcome.applied[0];
      if (!applied) {
        const now = await this.store.getJob(jobId);
        return now ? { ok: false, kind: "finished", record: now } : { ok: false, kind: "not-found" };
      }
      if (record.state === "running") {
        this.executor?.stop(jobId, "cancelled");
        this.scheduler.finish(jobId);
        this.chargeRun(record, atMs);
      } else this.scheduler.cancel(jobId);
      this.live.delete(jobId);
      this.emit({ type: "job", atMs, record: applied });
      this.requestPass(false);
      return { ok: true, record: applied };
    });
  }

  /** Creates or changes a tenant: a policy change, so the scheduler is rebuilt on the new policy. */
  putTenant(principal: Principal, tenant: Tenant): Promise<TenantRecord> {
    this.requireLoaded();
    const tierIds = this.currentPolicy.tiers.map((t) => t.id);
    if (!tierIds.includes(tenant.tierId)) return Promise.reject(new UnknownTierError(tenant.tierId, tierIds));
    return this.lock.run(async () => {
      const atMs = this.clock.nowMs();
      const before = await this.store.getTenant(tenant.id);
      const saved = await this.store.putTenant(tenant, atMs, {
        atMs,
        actor: principal.keyId,
        action: "policy.change",
        tenantId: tenant.id,
        objectType: "tenant",
        objectId: tenant.id,
        details: { before: before ? withoutCreated(before) : null, after: tenant },
      });
      const tenants = this.currentPolicy.tenants.filter((t) => t.id !== tenant.id);
      this.currentPolicy = { ...this.currentPolicy, tenants: [...tenants, tenant] };
      this.checker = new AdmissionChecker(this.compiled, this.currentPolicy, this.needCommand);
      await this.resetScheduler();
      this.requestPass(true);
      return saved;
    });
  }

  /**
   * ExecutorListener: a job ended on its own. Ends reported in one turn of the event loop are stored
   * together: after a restart every job that ended while the service was down ends at once (thousands in a
   * busy facility), and a transaction each held the store, and on PGlite every HTTP answer, for tens of
   * seconds.
   */
  finished(jobId: string, atMs: number, outcome: ExecutorOutcome, detail?: string): void {
    this.endedJobs.set(jobId, { atMs, outcome, detail });
    if (this.endsScheduled) return;
    this.endsScheduled = true;
    setImmediate(() => {
      this.endsScheduled = false;
      const ended = [...this.endedJobs];
      this.endedJobs.clear();
      void this.lock
        .run(() => this.storeEnds(ended))
        .then(() => this.requestPass(false))
        .catch((err: unknown) => this.fail(err));
    });
  }

  /**
   * ExecutorListener: the GPU indices a cluster gave a run, kept in the job's record. Written on their own:
   * a run that already ended keeps them too, and a later run's start clears them.
   */
  gpusGranted(jobId: string, startedAtMs: number, nodes: NodeAllocation[]): void {
    void this.store.recordClusterGpus(jobId, startedAtMs, nodes).catch((err: unknown) => this.fail(err));
  }

  /** Work on the sites' clusters that Fjord did not submit, as the executors last saw it. */
  orphans(): ClusterOrphan[] {
    return this.executor?.orphans?.() ?? [];
  }

  /** ExecutorListener: a cluster drained or brought back nodes; placement follows from the next pass. */
  nodesUnavailable(siteId: string, nodeIds: string[]): void {
    this.unavailableBySite.set(siteId, nodeIds);
    if (this.stopping()) return;
    this.scheduler.setUnavailable([...this.unavailableBySite.values()].flat());
    this.requestPass(false);
  }

  /** Stores ends in transactions of at most ENDS_PER_TRANSACTION, letting other work in between. */
  private async storeEnds(ended: [string, EndedJob][]): Promise<void> {
    for (let i = 0; i < ended.length; i += ENDS_PER_TRANSACTION) {
      const transitions: JobTransition[] = [];
      const runs = new Map<string, { startedAtMs: number | null; endAtMs: number }>();
      for (const [jobId, { atMs, outcome, detail }] of ended.slice(i, i + ENDS_PER_TRANSACTION)) {
        const entry = this.live.get(jobId);
        if (entry?.state !== "running") continue;
        runs.set(jobId, { startedAtMs: entry.startedAtMs, endAtMs: atMs });
        const details = detail === undefined ? {} : { detail };
        // A run its node lost goes back to the queue: one requeue, counted once in restarts.
        transitions.push(
          outcome === "interrupted"
            ? {
                kind: "requeue",
                jobId,
                atMs,
                audit: jobDraft(atMs, "executor", "job.requeue", entry.job, details),
              }
            : {
                kind: "finish",
                jobId,
                atMs,
                outcome,
                audit: jobDraft(atMs, "executor", `job.${outcome}`, entry.job, details),
              },
        );
      }
      if (transitions.length === 0) continue;
      const result = await this.store.transition(transitions);
      for (const applied of result.applied) {
        const jobId = applied.job.id;
        const run = runs.get(jobId)!;
        this.scheduler.finish(jobId);
        if (applied.state === "queued") {
          this.scheduler.submit(applied.job);
          this.live.set(jobId, {
            ...this.live.get(jobId)!,
            state: "queued",
            startedAtMs: null,
            siteId: null,
          });
        } else this.live.delete(jobId);
        this.chargeRun(applied, run.endAtMs, run.startedAtMs);
        this.emit({ type: "job", atMs: run.endAtMs, record: applied });
      }
      await this.store.setValue(LEDGER_KEY, this.ledger.data());
      // PGlite answers on this thread without yielding: let HTTP requests in between transactions.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  queue(tenantId: string | null, limitPerTier: number): Promise<QueueView> {
    this.requireLoaded();
    return this.scheduler.queue(tenantId, limitPerTier);
  }

  occupancy(): OccupancyView {
    this.requireLoaded();
    const bySite = new Map<string, SiteOccupancy>();
    for (const site of this.facility.sites)
      bySite.set(site.id, {
        siteId: site.id,
        jurisdictions: site.jurisdictions,
        nodes: 0,
        nodesUp: 0,
        gpus: 0,
        availableGpus: 0,
        allocatedGpus: 0,
        allocatedByTier: Object.fromEntries(this.currentPolicy.tiers.map((t) => [t.id, 0])),
      });
    const gpusPerType = new Map(this.facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
    for (const node of this.facility.nodes) {
      const site = bySite.get(node.siteId)!;
      const gpus = gpusPerType.get(node.nodeTypeId) ?? 0;
      site.nodes += 1;
      site.gpus += gpus;
      if (node.state === "up") {
        site.nodesUp += 1;
        site.availableGpus += gpus;
      }
    }
    const tenantTier = new Map(this.currentPolicy.tenants.map((t) => [t.id, t.tierId]));
    for (const entry of this.live.values()) {
      if (entry.state !== "running" || entry.siteId === null) continue;
      const site = bySite.get(entry.siteId)!;
      site.allocatedGpus += entry.gpus;
      const tierId = tenantTier.get(entry.job.tenantId);
      // Only tiers of the current policy are counted (its own keys, so a tier id never meets a built-in).
      if (tierId !== undefined && Object.hasOwn(site.allocatedByTier, tierId))
        site.allocatedByTier[tierId]! += entry.gpus;
    }
    return { atMs: this.clock.nowMs(), sites: [...bySite.values()] };
  }

  stats(): ControlPlaneStats {
    const snap = this.lastSnapshot;
    const zeros = () => Object.fromEntries(this.currentPolicy.tiers.map((t) => [t.id, 0]));
    return {
      passes: this.passes,
      lastPassDurationMs: this.lastPassDurationMs,
      executorLagMs: this.executor?.lagMs() ?? 0,
      allocatedGpusByTier: snap?.allocatedByTier ?? zeros(),
      queuedByTier: snap?.queuedByTier ?? zeros(),
    };
  }

  subscribe(listener: (event: ControlPlaneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks for a pass soon; a full one re-examines the whole queue. */
  requestPass(full: boolean): void {
    if (this.stopping()) return;
    if (full) {
      void this.runPass(true).catch((err: unknown) => this.fail(err));
      return;
    }
    if (this.passTimer) return;
    this.passTimer = setTimeout(() => {
      this.passTimer = null;
      void this.runPass(false).catch((err: unknown) => this.fail(err));
    }, this.options.debounceMs);
    this.passTimer.unref();
  }

  /** Runs one pass under the lock and applies its decisions; resolves when they are stored and handed on. */
  runPass(full: boolean): Promise<void> {
    return this.lock.run(async () => {
      if (this.stopping()) return;
      const nowMs = this.clock.nowMs();
      let decisions: PassResult;
      try {
        decisions = await this.scheduler.pass({
          nowMs,
          usage: this.ledger.usage(),
          full,
          quickPassJobs: this.options.quickPassJobs,
        });
      } catch (err) {
        // The scheduler may be out of step with the store (a command it could not carry out).
        await this.resetScheduler();
        throw err;
      }
      this.lastPassDurationMs = decisions.durationMs;
      this.passes += 1;
      await this.apply(decisions, nowMs);
      // The clock is saved about once a second, not on every pass: under a burst of submissions a write per
      // pass would compete with them for the database. A crash loses at most that second of clock.
      const wallMs = Date.now();
      if (wallMs - this.clockSavedAtWallMs >= 1000) {
        this.clockSavedAtWallMs = wallMs;
        await this.store.setValue(CLOCK_KEY, nowMs);
      }
      // Asked after the requeues apply() posted, so preempted jobs count as queued again.
      const snap = await this.scheduler.snapshot();
      this.lastSnapshot = snap;
      this.emit({ type: "queue", atMs: nowMs, queued: snap.queued, queuedByTier: snap.queuedByTier });
    });
  }

  private async apply(decisions: PassResult, nowMs: number): Promise<void> {
    if (decisions.start.length === 0 && decisions.preempt.length === 0) return;
    const transitions: JobTransition[] = [];
    for (const p of decisions.preempt) {
      const entry = this.live.get(p.jobId);
      if (!entry) continue;
      transitions.push({
        kind: "requeue",
        jobId: p.jobId,
        atMs: nowMs,
        audit: jobDraft(nowMs, "scheduler", "job.preempt", entry.job, {
          byJobId: p.byJobId,
          lostGpuS: p.lostGpuS,
        }),
      });
    }
    for (const s of decisions.start) {
      const entry = this.live.get(s.jobId)!;
      transitions.push({
        kind: "start",
        jobId: s.jobId,
        atMs: nowMs,
        allocation: s.allocation,
        audit: startDraft(nowMs, this.facility, entry.job, s),
      });
    }
    // In parts, requeues first: a pass in a storm decides thousands of starts, and one transaction for all
    // of them held the store (and on PGlite every HTTP answer) for seconds. Each part is whole on its own;
    // a start after its victims' requeues finds their GPUs free.
    let skipped = false;
    const size = this.options.decisionsPerTransaction;
    for (let i = 0; i < transitions.length; i += size) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      skipped = (await this.applyPart(transitions.slice(i, i + size), nowMs)) || skipped;
    }
    if (skipped) await this.resetScheduler();
  }

  /** Stores one part of a pass's decisions and hands them on; true if the store skipped any. */
  private async applyPart(transitions: JobTransition[], nowMs: number): Promise<boolean> {
    let outcome: Awaited<ReturnType<Store["transition"]>>;
    try {
      outcome = await this.store.transition(transitions);
    } catch (err) {
      // The scheduler already counts these decisions as carried out; the store says they were not.
      await this.resetScheduler();
      throw err;
    }
    for (const record of outcome.applied) {
      const entry = this.live.get(record.job.id)!;
      if (record.state === "running") {
        entry.state = "running";
        entry.startedAtMs = record.startedAtMs;
        entry.siteId = record.allocation?.siteId ?? null;
        this.executor?.start(record.job, record.allocation!, record.startedAtMs!);
      } else {
        this.executor?.stop(record.job.id, "preempted");
        this.chargeRun(record, nowMs, entry.startedAtMs);
        entry.state = "queued";
        entry.startedAtMs = null;
        entry.siteId = null;
        this.scheduler.submit(record.job);
      }
      this.emit({ type: "job", atMs: nowMs, record });
    }
    return outcome.skipped.length > 0;
  }

  /** Adds a run that ended to its tenant's fair-share usage. */
  private chargeRun(
    record: JobRecord,
    endAtMs: number,
    startedAtMs: number | null = record.startedAtMs,
  ): void {
    if (startedAtMs === null) return;
    const gpuHours = (totalGpus(record.job.shape) * Math.max(0, endAtMs - startedAtMs)) / 3_600_000;
    this.ledger.add(record.job.tenantId, gpuHours, endAtMs);
  }

  /** Sets the scheduler afresh from stored state: after a policy change, or when memory and store disagree. */
  private async resetScheduler(): Promise<void> {
    // A stopping control plane's thread is gone; the next start restores from the store anyway.
    if (this.stopping()) return;
    this.resetSchedulerTo(await this.store.liveJobs());
  }

  private resetSchedulerTo(records: JobRecord[]): void {
    const running = records
      .filter((r) => r.state === "running" && r.allocation !== null && r.startedAtMs !== null)
      .map((r) => ({ job: r.job, startedAtMs: r.startedAtMs!, allocation: r.allocation! }));
    const queued = records.filter((r) => r.state === "queued").map((r) => r.job);
    this.scheduler.reset(this.currentPolicy, running, queued, this.ledger.usage());
    this.live.clear();
    for (const r of records)
      this.live.set(r.job.id, {
        job: r.job,
        state: r.state === "running" ? "running" : "queued",
        startedAtMs: r.state === "running" ? r.startedAtMs : null,
        siteId: r.state === "running" ? (r.allocation?.siteId ?? null) : null,
        gpus: totalGpus(r.job.shape),
      });
  }

  private stopping(): boolean {
    return this.life.state === "stopping" || this.life.state === "stopped";
  }

  /** The calls that need the scheduler wait for start() to restore it: until then it holds no jobs. */
  private requireLoaded(): void {
    const { state, detail } = this.life;
    if (state === "created" || state === "loading") throw new StartingError(detail, RETRY_WHILE_LOADING_S);
  }

  private emit(event: ControlPlaneEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private fail(err: unknown): void {
    this.lastError = err instanceof Error ? err : new Error(String(err));
  }
}

/** Bounds one transaction of job ends, so the store is never held for long by a burst of them. */
const ENDS_PER_TRANSACTION = 500;

/** Seconds a client is asked to wait while the control plane loads; loading takes seconds. */
const RETRY_WHILE_LOADING_S = 2;

function count(n: number): string {
  return n.toLocaleString("en-GB");
}

function withoutCreated(t: TenantRecord): Tenant {
  const { createdAtMs: _, ...tenant } = t;
  return tenant;
}
