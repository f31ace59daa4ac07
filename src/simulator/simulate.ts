// A discrete-event simulation of the facility in virtual time, driving the same scheduler production
// runs (a SchedulerSession) through arrivals, completions, hard limits, preemptions, node failures and
// repairs. Pure: no clock, no I/O; randomness (failures) from a seeded generator, so the same input gives
// the same result, byte for byte once serialised.
//
// Scheduling follows a control loop: after every batch of simultaneous events a quick pass examines the
// head of each phase; a full pass runs when the last one is older than `fullPassIntervalS`, and when a quick
// pass left jobs unexamined, a wake-up makes sure one runs as soon as it is due.
// Work is kept across restarts only up to the last checkpoint: a preempted or failed run loses the GPU-
// seconds since then, and the job goes back to the queue with its original submission time.
import { heldGpus } from "../model/job-shape.ts";
import type { Policy, TenantUsage } from "../model/types.ts";
import type { CompiledFacility } from "../scheduler/compile-facility.ts";
import type { Decisions } from "../scheduler/decisions.ts";
import { decayedGpuHours } from "../scheduler/fair-order.ts";
import { totalGpus } from "../scheduler/request.ts";
import { SchedulerSession } from "../scheduler/session.ts";
import { mulberry32, type Rng } from "../workloads/prng.ts";
import { Arrivals } from "./arrivals.ts";
import { EventQueue } from "./event-queue.ts";
import { compactRunNodes } from "./run-nodes.ts";
import type {
  NodeReliability,
  RunEnd,
  RunNodes,
  SimJob,
  SimJobRecord,
  SimSample,
  SimulationResult,
  SkippedInput,
} from "./types.ts";

export interface SimulationInput {
  facility: CompiledFacility;
  policy: Policy;
  workload: SimJob[];
  seed: number;
  /** Start of the simulated period; default: the first submission. */
  fromMs?: number;
  /** End of the simulated period; default: when the last job has ended. */
  toMs?: number;
  /**
   * Node failures per node type. Needs `toMs`: with failures a job whose nodes fail more often than it can
   * reach its next checkpoint never finishes, so "until the last job ends" might never come.
   */
  reliability?: NodeReliability[];
  /** Seconds between facility samples (default 3,600). */
  sampleIntervalS?: number;
  /** Jobs a quick pass examines per phase (default 256). */
  quickPassDepth?: number;
  /** Most seconds between full passes while anything happens (default 300). */
  fullPassIntervalS?: number;
  /** Called now and then with the share of the period (or of the workload) done. */
  onProgress?: (done: number) => void;
}

type SimEvent =
  | { kind: "end"; live: LiveJob; run: number }
  | { kind: "failure"; reliability: number }
  | { kind: "repair"; nodeId: string }
  | { kind: "wake" }
  | { kind: "sample" };

interface LiveJob {
  sim: SimJob;
  record: SimJobRecord;
  /** Seconds of work saved by checkpoints so far. */
  doneS: number;
  /** The current run, if the job is running (kept inline: a million jobs start at least once a year). */
  running: boolean;
  runIndex: number;
  runStartAtMs: number;
  runGpus: number;
  runSiteId: string;
  runGpuModel: string;
  /** Compacted once at the start: a gang's nodes are a few ranges, not a copy of its allocation. */
  runNodes: RunNodes;
}

/** A job that has not run yet holds no nodes. */
const NO_NODES: RunNodes = Object.freeze({ wholeNodes: [], partNodes: [] });

export function simulate(input: SimulationInput): SimulationResult {
  return new Simulation(input).run();
}

class Simulation {
  private readonly session: SchedulerSession;
  private readonly events = new EventQueue<SimEvent>();
  private readonly arrivals: Arrivals;
  private readonly jobs = new Map<string, LiveJob>();
  private readonly skipped = new Map<string, number>();
  /** Ids of jobs the scheduler refused at admission (they can never run here). */
  private readonly refused = new Set<string>();
  /** Jobs waiting in the session (admitted, not running); a pass over none changes nothing. */
  private waitingInSession = 0;
  private readonly samples: SimSample[] = [];
  private readonly rng: Rng;
  private readonly tierOf: Map<string, string>;
  private readonly usage = new Map<string, { gpuHours: number; atMs: number }>();
  /** Usage changed since the session was last told. */
  private usageChanged = false;
  private readonly nodesByType: string[][];
  private readonly gpuModelOfNode: Map<string, string>;
  private readonly fromMs: number;
  private readonly toMs: number;
  private lostToFailuresGpuS = 0;
  private lostToPreemptionGpuS = 0;
  private eventCount = 0;
  private passes = 0;
  private lastFullPassAtMs = Number.NEGATIVE_INFINITY;
  /** Events that change what could start are pending a pass. */
  private dirty = false;
  private running = 0;
  /** Wake-up and repair events in the queue. */
  private pendingWakes = 0;
  /** Pass options; the simulator only carries out starts and preemptions, so waiting jobs need no reasons. */
  private readonly fullPass = { explainWaiting: false };
  private readonly quickPass: { explainWaiting: boolean; maxJobsPerPhase: number };
  /** When the wake-up for the next full pass is due, once a quick pass has asked for one. */
  private fullPassWakeAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly input: SimulationInput) {
    const { facility, policy, workload } = input;
    this.session = new SchedulerSession(facility, policy);
    this.quickPass = { explainWaiting: false, maxJobsPerPhase: input.quickPassDepth ?? 256 };
    this.rng = mulberry32(input.seed);
    this.tierOf = new Map(policy.tenants.map((t) => [t.id, t.tierId]));
    this.fromMs =
      input.fromMs ?? workload.reduce((m, s) => Math.min(m, s.job.submittedAtMs), Number.POSITIVE_INFINITY);
    if (!Number.isFinite(this.fromMs)) this.fromMs = 0;
    this.toMs = input.toMs ?? Number.POSITIVE_INFINITY;
    this.arrivals = new Arrivals(workload, this.fromMs, this.toMs);
    const late = workload.length - this.arrivals.count;
    if (late > 0) this.skipped.set("submitted after the simulated period", late);
    const typeIndex = new Map(facility.facility.nodeTypes.map((t, k) => [t.id, k]));
    this.nodesByType = facility.facility.nodeTypes.map(() => []);
    for (const node of facility.facility.nodes)
      this.nodesByType[typeIndex.get(node.nodeTypeId)!]!.push(node.id);
    const modelOfType = new Map(facility.facility.nodeTypes.map((t) => [t.id, t.gpuModel]));
    this.gpuModelOfNode = new Map(facility.facility.nodes.map((n) => [n.id, modelOfType.get(n.nodeTypeId)!]));
    if ((input.reliability?.length ?? 0) > 0 && input.toMs === undefined)
      throw new Error("reliability: node failures need an end of the simulated period (toMs)");
    (input.reliability ?? []).forEach((r, k) => {
      if (!typeIndex.has(r.nodeTypeId)) throw new Error(`reliability: unknown node type ${r.nodeTypeId}`);
      this.scheduleFailure(k, this.fromMs);
    });
    this.events.push(this.fromMs, { kind: "sample" });
  }

  run(): SimulationResult {
    const progressEvery = 4096;
    for (;;) {
      // Arrivals go first at equal times, as if queued before every other event.
      const arrivalAtMs = this.arrivals.peekTime();
      const atMs = Math.min(arrivalAtMs, this.events.peekTime());
      if (atMs === Number.POSITIVE_INFINITY || atMs > this.toMs) break;
      this.lastEventMs = atMs;
      if (arrivalAtMs === atMs) {
        this.eventCount++;
        this.arrive(atMs, this.input.workload[this.arrivals.take()]!);
      } else {
        const item = this.events.pop()!.item;
        if (item.kind !== "sample") this.eventCount++;
        this.handle(atMs, item);
      }
      // Simultaneous events are one batch: schedule once they are all in.
      if (this.dirty && this.nextTime() !== atMs) this.schedule(atMs);
      if (this.eventCount % progressEvery === 0) this.progress(atMs);
      if (this.finished()) break;
    }
    const endMs = Number.isFinite(this.toMs) ? this.toMs : this.lastEventMs;
    for (const live of this.jobs.values()) if (live.running) this.endRun(live, endMs, "unfinished");
    this.input.onProgress?.(1);
    const jobs = [...this.jobs.values()]
      .map((j) => j.record)
      .sort((a, b) => a.submittedAtMs - b.submittedAtMs || (a.jobId < b.jobId ? -1 : 1));
    const skipped: SkippedInput[] = [...this.skipped].map(([reason, count]) => ({ reason, count }));
    skipped.sort((a, b) => (a.reason < b.reason ? -1 : 1));
    return {
      fromMs: this.fromMs,
      toMs: endMs,
      seed: this.input.seed,
      jobs,
      samples: this.samples,
      skipped,
      lostToFailuresGpuS: this.lostToFailuresGpuS,
      lostToPreemptionGpuS: this.lostToPreemptionGpuS,
      events: this.eventCount,
      passes: this.passes,
    };
  }

  private lastEventMs = 0;

  private nextTime(): number {
    return Math.min(this.arrivals.peekTime(), this.events.peekTime());
  }

  /**
   * With no end given, the simulation ends when nothing can change any more: no arrivals to come, nothing
   * running, and no wake-up or repair pending that could let a waiting job start.
   */
  private finished(): boolean {
    return (
      !Number.isFinite(this.toMs) &&
      this.arrivals.left === 0 &&
      this.running === 0 &&
      !this.dirty &&
      this.pendingWakes === 0
    );
  }

  private handle(atMs: number, event: SimEvent): void {
    switch (event.kind) {
      case "end":
        this.end(atMs, event.live, event.run);
        return;
      case "failure":
        this.fail(atMs, event.reliability);
        return;
      case "repair":
        this.pendingWakes--;
        this.session.setNodeUp(event.nodeId, true);
        this.dirty = true;
        return;
      case "wake":
        this.pendingWakes--;
        this.dirty = true;
        return;
      case "sample":
        this.sample(atMs);
        return;
    }
  }

  private arrive(atMs: number, sim: SimJob): void {
    const { job } = sim;
    if (this.jobs.has(job.id) || this.refused.has(job.id)) {
      this.skip("duplicate job id");
      return;
    }
    const submitted = this.session.submit(job);
    if (!submitted.queued) {
      this.skip(`never runs here: ${submitted.reason.kind}`);
      // The session would report the job as waiting on every complete pass, a cost that grows with the
      // refused jobs times the passes; the simulator never reads those reports, so it forgets the job.
      this.session.cancel(job.id);
      this.refused.add(job.id);
      return;
    }
    this.waitingInSession++;
    this.jobs.set(job.id, {
      sim,
      doneS: 0,
      running: false,
      runIndex: -1,
      runStartAtMs: 0,
      runGpus: 0,
      runSiteId: "",
      runGpuModel: "",
      runNodes: NO_NODES,
      record: {
        jobId: job.id,
        tenantId: job.tenantId,
        tierId: this.tierOf.get(job.tenantId) ?? "",
        gpus: totalGpus(job.shape),
        submittedAtMs: job.submittedAtMs,
        runtimeS: sim.runtimeS,
        deadlineAtMs: job.deadlineAtMs,
        runs: [],
        completedAtMs: null,
      },
    });
    if (job.notBeforeAtMs !== null && job.notBeforeAtMs > atMs) this.wakeAt(job.notBeforeAtMs);
    this.dirty = true;
  }

  private end(atMs: number, live: LiveJob, run: number): void {
    if (!live.running || live.runIndex !== run) return; // the run ended earlier (preempted or failed)
    this.session.finish(live.sim.job.id);
    const remainingS = live.sim.runtimeS - live.doneS;
    const completed = (atMs - live.runStartAtMs) / 1000 >= remainingS;
    this.endRun(live, atMs, completed ? "completed" : "limit");
    if (completed) live.record.completedAtMs = atMs;
    this.dirty = true;
  }

  private fail(atMs: number, k: number): void {
    const r = this.input.reliability![k]!;
    this.scheduleFailure(k, atMs);
    const nodes = this.nodesByType[this.typeIndexOf(r.nodeTypeId)]!;
    const nodeId = nodes[Math.floor(this.rng.next() * nodes.length)]!;
    const victims = this.session.jobsOnNode(nodeId);
    for (const jobId of victims) {
      const live = this.jobs.get(jobId)!;
      this.session.finish(jobId);
      this.lostToFailuresGpuS += this.endRun(live, atMs, "failed");
      this.session.submit(live.sim.job);
      this.waitingInSession++;
    }
    this.session.setNodeUp(nodeId, false);
    this.pendingWakes++;
    this.events.push(atMs + r.repairS * 1000, { kind: "repair", nodeId });
    this.dirty = true;
  }

  private typeIndexOf(nodeTypeId: string): number {
    return this.input.facility.facility.nodeTypes.findIndex((t) => t.id === nodeTypeId);
  }

  /** Failures of one node type form a Poisson process: nodes / MTBF per second across the type. */
  private scheduleFailure(k: number, fromMs: number): void {
    const r = this.input.reliability![k]!;
    const nodes = this.nodesByType[this.typeIndexOf(r.nodeTypeId)]!.length;
    if (nodes === 0 || r.mtbfS <= 0) return;
    const gapS = -Math.log(1 - this.rng.next()) * (r.mtbfS / nodes);
    const atMs = fromMs + gapS * 1000;
    if (atMs <= this.toMs && (Number.isFinite(this.toMs) || this.arrivals.left > 0 || this.running > 0))
      this.events.push(atMs, { kind: "failure", reliability: k });
  }

  private schedule(atMs: number): void {
    this.dirty = false;
    // With no job waiting a pass, quick or full, examines nothing, starts and preempts nothing, and is
    // complete: only its time is kept, as the pass would have.
    if (this.waitingInSession === 0) {
      this.lastFullPassAtMs = atMs;
      return;
    }
    if (this.usageChanged) {
      this.session.setUsage(this.usageNow());
      this.usageChanged = false;
    }
    const full = atMs - this.lastFullPassAtMs >= this.fullPassIntervalMs;
    const d = this.session.pass(atMs, full ? this.fullPass : this.quickPass);
    if (d.complete) this.lastFullPassAtMs = atMs;
    this.passes++;
    this.apply(atMs, d);
  }

  private apply(atMs: number, d: Decisions & { complete: boolean }): void {
    for (const p of d.preempt) {
      const live = this.jobs.get(p.jobId)!;
      this.lostToPreemptionGpuS += this.endRun(live, atMs, "preempted");
      this.session.submit(live.sim.job);
      this.waitingInSession++;
    }
    for (const s of d.start) {
      const live = this.jobs.get(s.jobId)!;
      const job = live.sim.job;
      const index = live.record.runs.length;
      let gpus = 0;
      for (const n of s.allocation.nodes) gpus += heldGpus(n);
      live.running = true;
      live.runIndex = index;
      live.runStartAtMs = atMs;
      live.runGpus = gpus;
      live.runSiteId = s.allocation.siteId;
      live.runGpuModel = this.gpuModelOfNode.get(s.allocation.nodes[0]!.nodeId)!;
      live.runNodes = compactRunNodes(s.allocation.nodes, this.input.facility);
      this.running++;
      this.waitingInSession--;
      const remainingS = live.sim.runtimeS - live.doneS;
      const endAtMs = atMs + Math.min(remainingS, job.limitS) * 1000;
      this.events.push(endAtMs, { kind: "end", live, run: index });
    }
    // A quick pass may leave jobs it did not examine: the full pass that examines them runs when due, even
    // if no event comes then. One wake-up per due time, as a control loop has one timer: a wake-up per
    // quick pass would each start a chain of quick passes 300 s apart while the queue stays long, and the
    // passes would grow with the square of the events.
    const due = this.lastFullPassAtMs + this.fullPassIntervalMs;
    if (!d.complete && this.fullPassWakeAtMs !== due) {
      this.fullPassWakeAtMs = due;
      this.wakeAt(due);
    }
  }

  private get fullPassIntervalMs(): number {
    return (this.input.fullPassIntervalS ?? 300) * 1000;
  }

  private wakeAt(atMs: number): void {
    this.pendingWakes++;
    this.events.push(atMs, { kind: "wake" });
  }

  /** Closes the current run; returns the GPU-seconds lost since the last checkpoint. */
  private endRun(live: LiveJob, atMs: number, end: RunEnd): number {
    const ranS = (atMs - live.runStartAtMs) / 1000;
    const interval = live.sim.job.checkpointIntervalS;
    let savedS: number;
    if (end === "completed") savedS = ranS;
    else if (end === "unfinished") savedS = ranS;
    else savedS = interval && interval > 0 ? Math.floor(ranS / interval) * interval : 0;
    const lostGpuS = end === "completed" || end === "unfinished" ? 0 : live.runGpus * (ranS - savedS);
    live.doneS += savedS;
    live.record.runs.push({
      startAtMs: live.runStartAtMs,
      endAtMs: atMs,
      siteId: live.runSiteId,
      gpuModel: live.runGpuModel,
      gpus: live.runGpus,
      ...live.runNodes,
      end,
      lostGpuS,
    });
    this.addUsage(live.sim.job.tenantId, atMs, (live.runGpus * ranS) / 3600);
    live.running = false;
    this.running--;
    return lostGpuS;
  }

  private addUsage(tenantId: string, atMs: number, gpuHours: number): void {
    const halfLifeS = this.input.policy.fairShare.halfLifeS;
    const u = this.usage.get(tenantId);
    const before = u ? decayedGpuHours(u.gpuHours, u.atMs, atMs, halfLifeS) : 0;
    this.usage.set(tenantId, { gpuHours: before + gpuHours, atMs });
    this.usageChanged = true;
  }

  /** Usage as the scheduler takes it, each figure as of its own time: never after a pass, as events run in time order. */
  private usageNow(): TenantUsage[] {
    const out: TenantUsage[] = [];
    this.usage.forEach((u, tenantId) => {
      out.push({ tenantId, decayedGpuHours: u.gpuHours, atMs: u.atMs });
    });
    return out;
  }

  private sample(atMs: number): void {
    if (this.dirty) this.schedule(atMs);
    const snap = this.session.snapshot();
    this.samples.push({
      atMs,
      availableGpus: snap.availableGpus,
      allocatedGpus: snap.allocatedGpus,
      queuedByTier: snap.queuedByTier,
      allocatedByTier: snap.allocatedByTier,
      // GPUs left idle while jobs that could run here wait: fragmentation, reservations, rules.
      strandedGpus: snap.queued > 0 ? snap.availableGpus - snap.allocatedGpus : 0,
      ...(snap.queued > 0 ? { idleGpusByCause: this.session.idleGpusByCause(atMs) } : {}),
    });
    const next = atMs + (this.input.sampleIntervalS ?? 3600) * 1000;
    if (
      next <= this.toMs &&
      (Number.isFinite(this.toMs) || this.arrivals.left > 0 || this.running > 0 || this.dirty)
    )
      this.events.push(next, { kind: "sample" });
  }

  private progress(atMs: number): void {
    if (!this.input.onProgress) return;
    const total = this.input.workload.length;
    const byTime = Number.isFinite(this.toMs) ? (atMs - this.fromMs) / (this.toMs - this.fromMs) : 0;
    const byArrivals = total > 0 ? (total - this.arrivals.left) / total : 1;
    this.input.onProgress(Math.min(1, Math.max(byTime, byArrivals)));
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }
}
