// Runs a site's jobs on its real Slurm cluster. Every start decision becomes one sbatch pinned to the nodes
// and GPU counts Fjord chose; one poll of `squeue --json` a second follows every job to its end; a
// cancellation is an scancel, a preemption a USR1 first (the job may checkpoint) and the cancel after a
// grace. The Slurm CLI rather than slurmrestd: Debian's 22.05 ships both, but the CLI needs only munge,
// which the cluster runs anyway, while slurmrestd needs JWT keys and a daemon of its own (docs/slurm.md).
//
// Restarts: a run is known to Slurm by its job name (the Fjord job id) and comment (the run's start time),
// so when the control plane adopts its running jobs after a restart, each is found again rather than
// submitted twice. While slurmctld cannot be reached, submissions and cancels wait and are retried.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Allocation, Facility, Job } from "../model/types.ts";
import type { ServiceClock } from "../service/service-clock.ts";
import type { ClusterOrphan, Executor, ExecutorListener, StopReason } from "./executor.ts";
import {
  batchScript,
  runComment,
  type SbatchTarget,
  type SlurmCommand,
  sbatchArgs,
  sbatchEnvironment,
  siteNodeName,
  slurmJobName,
} from "./slurm/sbatch-args.ts";
import { runSlurm, SlurmCommandError } from "./slurm/slurm-cli.ts";
import { parseSqueueJson, type SlurmJobView, scontrolGpusByNode } from "./slurm/slurm-job-view.ts";
import { slurmPhase } from "./slurm/slurm-states.ts";
import { findStrangers } from "./slurm/strangers.ts";

export interface SlurmSiteOptions {
  /** The Fjord site this cluster runs. */
  siteId: string;
  /** The cluster's slurm.conf, as its clients read it (SLURM_CONF). */
  slurmConf: string;
  /** The partition Fjord owns on it (docs/slurm.md says how it must be configured). */
  partition: string;
  /**
   * What each job runs on the cluster: its own command (site-executors.ts), or the site's default for a job
   * that gives none; null when there is neither, and the start fails (admission refuses such jobs first).
   */
  commandFor: (job: Job) => SlurmCommand | null;
  /** Slurm's name of a Fjord node; default: the node id without its `site/` prefix. */
  nodeName?: (nodeId: string) => string;
  /** Real ms between polls of the cluster (default 1000). */
  pollIntervalMs?: number;
  /** Seconds a preempted job has between USR1 and its cancel (default 30). */
  preemptGraceS?: number;
}

/** What Slurm made of one run, for status views and tests. */
export interface SlurmRunView {
  slurmJobId: number | null;
  state: string;
  /** GPU indices Slurm gave on each Slurm node; null until seen running. */
  gpusByNode: Map<string, number[]> | null;
}

interface Run {
  job: Job;
  allocation: Allocation;
  startedAtMs: number;
  slurmJobId: number | null;
  state: string;
  gpusByNode: Map<string, number[]> | null;
  /** `scontrol show job -d` was asked for the GPU indices squeue did not give (once a run, again on error). */
  askedScontrol: boolean;
  /** Wall ms the sbatch returned; a poll begun before it cannot know the job yet. */
  submittedAtWallMs: number;
  /** Wall ms an sbatch began that did not answer: it may have reached slurmctld, so look before retrying. */
  unansweredAtWallMs: number | null;
  stopped: boolean;
}

const RETRY_MS = 2_000;
/** sinfo's long node states that take no new work: drained, draining, down, failing, … and `*`, not responding. */
const UNAVAILABLE = /drain|down|fail|maint|reboot|unk|inval|future|power|\*$/i;

export class SlurmExecutor implements Executor {
  private readonly runs = new Map<string, Run>();
  /** Slurm jobs Fjord stopped, with the wall ms from which they are cancelled until Slurm says they ended. */
  private readonly stopping = new Map<number, number>();
  private readonly submissions: Run[] = [];
  private readonly target: SbatchTarget;
  /** Holds the batch script sbatch reads at each submission (it sends the script's text to slurmctld). */
  private readonly scriptDir: string;
  /** Runs submitted so far, to name each run's batch script. */
  private scripts = 0;
  private readonly pollIntervalMs: number;
  private readonly preemptGraceMs: number;
  private lastSnapshot: Map<number, SlurmJobView> | null = null;
  /** Fjord's node id of each Slurm node name of the site. */
  private readonly nodeIdOf: Map<string, string>;
  private adopted = false;
  /** Jobs on the partition Fjord did not submit, as of the last poll. */
  private orphanJobs: SlurmJobView[] = [];
  /** The site's nodes last reported as taking no new work (sorted). */
  private lastUnavailable: string[] = [];
  private lastPollOkWallMs = Date.now();
  private lastPollStartWallMs = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private submitting: Promise<void> | null = null;
  private polling: Promise<void> | null = null;
  private closed = false;
  /** The latest problem talking to the cluster; null once a poll succeeds again. */
  lastProblem: string | null = null;

  constructor(
    private readonly clock: ServiceClock,
    private readonly listener: ExecutorListener,
    facility: Facility,
    private readonly options: SlurmSiteOptions,
  ) {
    // A real cluster runs on the wall clock: an accelerated control plane would misread every duration.
    if (clock.speed !== 1) throw new Error(`a Slurm site runs at clock speed 1, not ${clock.speed}`);
    const gpusPerType = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
    const gpusOnNode = new Map(facility.nodes.map((n) => [n.id, gpusPerType.get(n.nodeTypeId) ?? 0]));
    this.scriptDir = mkdtempSync(join(tmpdir(), "fjord-slurm-"));
    // Each run's script is written next to this path, read by sbatch at submission and then removed.
    const scriptPath = join(this.scriptDir, "run-job.sh");
    this.target = {
      partition: options.partition,
      nodeName: options.nodeName ?? siteNodeName(options.siteId),
      gpusOnNode: (id) => gpusOnNode.get(id) ?? 0,
      scriptPath,
    };
    this.nodeIdOf = new Map(
      facility.nodes
        .filter((n) => n.siteId === options.siteId)
        .map((n) => [this.target.nodeName(n.id), n.id]),
    );
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.preemptGraceMs = (options.preemptGraceS ?? 30) * 1000;
    this.schedulePoll(0);
  }

  start(job: Job, allocation: Allocation, startedAtMs: number): void {
    if (this.runs.get(job.id)?.startedAtMs === startedAtMs) return;
    const run: Run = {
      job,
      allocation,
      startedAtMs,
      slurmJobId: null,
      state: "SUBMITTING",
      gpusByNode: null,
      askedScontrol: false,
      submittedAtWallMs: Number.POSITIVE_INFINITY,
      unansweredAtWallMs: null,
      stopped: false,
    };
    this.runs.set(job.id, run);
    this.submissions.push(run);
    this.submitAll();
  }

  stop(jobId: string, reason: StopReason = "cancelled"): void {
    const run = this.runs.get(jobId);
    if (!run) return;
    this.runs.delete(jobId);
    run.stopped = true;
    if (run.slurmJobId !== null) this.stopSlurmJob(run.slurmJobId, reason);
    // Not submitted yet: the submission sees `stopped` and skips it, or cancels what sbatch just made.
  }

  adoptionComplete(): void {
    this.adopted = true;
  }

  lagMs(): number {
    const behindMs = Date.now() - this.lastPollOkWallMs - 2 * this.pollIntervalMs;
    return Math.max(0, behindMs);
  }

  async close(): Promise<void> {
    // Jobs keep running on the cluster: the next start of Fjord adopts them. Stopped ones would not be
    // adopted (Fjord no longer runs them), so a preempted job's grace ends now.
    this.closed = true;
    for (const slurmJobId of this.stopping.keys()) this.cancel(slurmJobId);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await Promise.all([this.submitting, this.polling]);
    rmSync(this.scriptDir, { recursive: true, force: true });
  }

  /** Jobs on Fjord's partition that Fjord did not submit (as of the last poll); their nodes get no work. */
  orphans(): ClusterOrphan[] {
    return this.orphanJobs.map(({ slurmJobId, name, state, nodes }) => ({
      siteId: this.options.siteId,
      clusterJobId: String(slurmJobId),
      name,
      state,
      nodeIds: nodes.flatMap((node) => this.nodeIdOf.get(node) ?? []),
    }));
  }

  /** The site's nodes last reported to the control plane as taking no new work. */
  unavailableNodes(): string[] {
    return [...this.lastUnavailable];
  }

  /** What Slurm made of a job's current run; undefined for jobs this executor does not run. */
  slurmRun(jobId: string): SlurmRunView | undefined {
    const run = this.runs.get(jobId);
    if (!run) return undefined;
    return { slurmJobId: run.slurmJobId, state: run.state, gpusByNode: run.gpusByNode };
  }

  private slurmEnv(): Record<string, string> {
    return { PATH: process.env.PATH ?? "/usr/bin:/bin", SLURM_CONF: this.options.slurmConf };
  }

  private stopSlurmJob(slurmJobId: number, reason: StopReason): void {
    const env = this.slurmEnv();
    const view = this.lastSnapshot?.get(slurmJobId);
    // A job Slurm has not started yet has nothing to checkpoint: it is cancelled at once.
    if (reason === "preempted" && view?.state !== "PENDING") {
      // USR1 to the batch script (the job's own process): it may checkpoint before the cancel.
      this.stopping.set(slurmJobId, Date.now() + this.preemptGraceMs);
      runSlurm("scancel", ["--signal=USR1", "--batch", String(slurmJobId)], env).catch((err: unknown) =>
        this.noteProblem(err),
      );
    } else {
      this.stopping.set(slurmJobId, Date.now());
      this.cancel(slurmJobId);
    }
  }

  private cancel(slurmJobId: number): void {
    runSlurm("scancel", [String(slurmJobId)], this.slurmEnv()).catch((err: unknown) => this.noteProblem(err));
  }

  /** Submits waiting runs one at a time, in decision order; a cluster that cannot be reached is retried. */
  private submitAll(): void {
    if (this.submitting || this.closed) return;
    this.submitting = (async () => {
      while (this.submissions.length > 0 && !this.closed) {
        // Adoption needs one look at what the cluster already runs.
        if (this.lastSnapshot === null) return this.retrySubmissions();
        const run = this.submissions[0]!;
        if (!(await this.submit(run))) return this.retrySubmissions();
        this.submissions.shift();
      }
    })().finally(() => {
      this.submitting = null;
    });
  }

  private retrySubmissions(): void {
    setTimeout(() => this.submitAll(), RETRY_MS).unref();
  }

  /** One run to Slurm: adopted if Slurm already has it, else submitted. False: try again later. */
  private async submit(run: Run): Promise<boolean> {
    if (run.stopped) return true;
    // A lost answer may hide a job slurmctld did create: only a poll begun after it can tell.
    if (run.unansweredAtWallMs !== null && this.lastPollStartWallMs <= run.unansweredAtWallMs) return false;
    const adopted = this.findRun(run);
    if (adopted) {
      run.slurmJobId = adopted.slurmJobId;
      run.submittedAtWallMs = Date.now();
      return true;
    }
    let args: string[];
    let script: string;
    // One script per run: it carries the job's environment, which only the job itself may see.
    const scriptPath = join(this.scriptDir, `run-${++this.scripts}.sh`);
    try {
      const command = this.options.commandFor(run.job);
      if (command === null)
        throw new Error(`job ${run.job.id} has no command, and site ${this.options.siteId} no default one`);
      args = sbatchArgs(run.job, run.allocation, run.startedAtMs, command, { ...this.target, scriptPath });
      script = batchScript(command);
    } catch (err) {
      this.fail(run, `not submitted: ${(err as Error).message}`);
      return true;
    }
    const attemptWallMs = Date.now();
    try {
      writeFileSync(scriptPath, script, { mode: 0o700 });
      const out = await runSlurm("sbatch", args, sbatchEnvironment(this.options.slurmConf)).finally(() =>
        rmSync(scriptPath, { force: true }),
      );
      run.slurmJobId = Number.parseInt(out.trim().split(";")[0]!, 10);
      run.state = "SUBMITTED";
      run.submittedAtWallMs = Date.now();
      if (run.stopped) this.stopSlurmJob(run.slurmJobId, "cancelled");
      return true;
    } catch (err) {
      if (err instanceof SlurmCommandError && err.transient) {
        run.unansweredAtWallMs = attemptWallMs;
        this.noteProblem(err);
        return false;
      }
      this.fail(run, `Slurm refused the job: ${(err as Error).message}`);
      return true;
    }
  }

  private findRun(run: Run): SlurmJobView | undefined {
    const name = slurmJobName(run.job.id);
    const comment = runComment(run.startedAtMs);
    for (const view of this.lastSnapshot!.values())
      if (view.name === name && view.comment === comment) return view;
    return undefined;
  }

  private fail(run: Run, detail: string): void {
    if (this.runs.get(run.job.id) !== run) return;
    this.runs.delete(run.job.id);
    this.listener.finished(run.job.id, this.clock.nowMs(), "failed", detail);
  }

  private schedulePoll(delayMs: number): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = null;
        this.schedulePoll(this.pollIntervalMs);
      });
    }, delayMs);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    const startedWallMs = Date.now();
    let views: SlurmJobView[];
    try {
      const out = await runSlurm(
        "squeue",
        ["--json", "--states=all", `--partition=${this.options.partition}`],
        this.slurmEnv(),
      );
      views = parseSqueueJson(out);
    } catch (err) {
      this.noteProblem(err);
      return;
    }
    if (this.closed) return;
    this.lastPollOkWallMs = Date.now();
    this.lastPollStartWallMs = startedWallMs;
    this.lastProblem = null;
    const firstLook = this.lastSnapshot === null;
    this.lastSnapshot = new Map(views.map((v) => [v.slurmJobId, v]));
    for (const run of [...this.runs.values()]) this.follow(run);
    this.followStopping();
    if (firstLook) this.submitAll();
    // Until the control plane has adopted its running jobs, any job on the cluster may still be one of them.
    if (this.adopted) this.followStrangers();
    await this.pollNodes();
  }

  /** Cancels leftovers of an earlier Fjord; notes orphans, whose nodes leave placement (pollNodes). */
  private followStrangers(): void {
    const ours = new Set(
      [...this.runs.values()].map((r) => `${slurmJobName(r.job.id)}|${runComment(r.startedAtMs)}`),
    );
    const { leftovers, orphans } = findStrangers(
      this.lastSnapshot!.values(),
      ours,
      new Set(this.stopping.keys()),
    );
    for (const slurmJobId of leftovers) {
      this.stopping.set(slurmJobId, Date.now());
      this.cancel(slurmJobId);
    }
    this.orphanJobs = orphans;
  }

  /** Tells the listener when the set of nodes Slurm takes no new work on changes. */
  private async pollNodes(): Promise<void> {
    let out: string;
    try {
      out = await runSlurm(
        "sinfo",
        ["--noheader", "--Node", `--partition=${this.options.partition}`, "--format=%N %T"],
        this.slurmEnv(),
      );
    } catch (err) {
      this.noteProblem(err);
      return;
    }
    if (this.closed) return;
    const names = out
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter(([name, state]) => name && state && UNAVAILABLE.test(state))
      .map(([name]) => name!);
    // An orphan's nodes too: Fjord never schedules over work it does not know.
    names.push(...this.orphanJobs.flatMap((job) => job.nodes));
    const unavailable = [...new Set(names.flatMap((name) => this.nodeIdOf.get(name) ?? []))].sort();
    if (unavailable.join(",") === this.lastUnavailable.join(",")) return;
    this.lastUnavailable = unavailable;
    this.listener.nodesUnavailable?.(this.options.siteId, unavailable);
  }

  /** Carries one run's news from the latest snapshot: its GPUs, its state, its end. */
  private follow(run: Run): void {
    if (run.slurmJobId === null) return;
    const view = this.lastSnapshot!.get(run.slurmJobId);
    if (!view) {
      // Submitted after this poll began, or forgotten by Slurm (MinJobAge passed while nobody looked).
      if (run.submittedAtWallMs < this.lastPollStartWallMs)
        this.fail(run, `Slurm no longer knows job ${run.slurmJobId}; its end was not seen`);
      return;
    }
    if (view.name !== slurmJobName(run.job.id) || view.comment !== runComment(run.startedAtMs)) {
      // A slurmctld that crashed before saving the job forgot it and gave its id to another job: the run
      // is lost through no fault of the job, which goes back to the queue (never read another job's end).
      this.runs.delete(run.job.id);
      this.listener.finished(
        run.job.id,
        this.clock.nowMs(),
        "interrupted",
        `Slurm lost job ${run.slurmJobId} (its id now names ${JSON.stringify(view.name)})`,
      );
      return;
    }
    run.state = view.state;
    if (view.gpusByNode.size > 0 && run.gpusByNode === null) this.granted(run, view.gpusByNode);
    else if (run.gpusByNode === null && view.state === "RUNNING") this.askScontrol(run, view.slurmJobId);
    const phase = slurmPhase(view.state);
    if (phase.phase !== "ended") return;
    this.runs.delete(run.job.id);
    const detail = `Slurm job ${view.slurmJobId} ${view.state} (${view.reason}, exit status ${view.exitStatus})`;
    this.listener.finished(run.job.id, this.endAtMs(run, view), phase.outcome, detail);
  }

  /** The GPU indices from `scontrol show job -d`, for a running job whose squeue entry has none. */
  private askScontrol(run: Run, slurmJobId: number): void {
    if (run.askedScontrol) return;
    run.askedScontrol = true;
    runSlurm("scontrol", ["show", "job", "-d", String(slurmJobId)], this.slurmEnv())
      .then((out) => {
        const gpusByNode = scontrolGpusByNode(out);
        const known = [...gpusByNode.values()].some((gpus) => gpus.length > 0);
        if (known && run.gpusByNode === null && this.runs.get(run.job.id) === run)
          this.granted(run, gpusByNode);
      })
      .catch((err: unknown) => {
        run.askedScontrol = false;
        this.noteProblem(err);
      });
  }

  /** Notes the GPU indices Slurm gave a run and tells the listener, in Fjord's node ids. */
  private granted(run: Run, gpusByNode: Map<string, number[]>): void {
    run.gpusByNode = gpusByNode;
    const nodes = [...gpusByNode].flatMap(([name, gpus]) => {
      const nodeId = this.nodeIdOf.get(name);
      return nodeId === undefined ? [] : [{ nodeId, gpus }];
    });
    this.listener.gpusGranted?.(run.job.id, run.startedAtMs, nodes);
  }

  /** Stopped jobs are cancelled (again) once their grace is over, until Slurm reports them ended. */
  private followStopping(): void {
    const nowWallMs = Date.now();
    for (const [slurmJobId, cancelAtWallMs] of this.stopping) {
      const view = this.lastSnapshot!.get(slurmJobId);
      if (!view || slurmPhase(view.state).phase === "ended") this.stopping.delete(slurmJobId);
      else if (nowWallMs >= cancelAtWallMs) this.cancel(slurmJobId);
    }
  }

  /** Slurm's end time on the control plane's clock, never before the run's start nor after now. */
  private endAtMs(run: Run, view: SlurmJobView): number {
    const nowMs = this.clock.nowMs();
    if (view.endAtS <= 0) return nowMs;
    const agoMs = Math.max(0, Date.now() - view.endAtS * 1000);
    return Math.max(run.startedAtMs, nowMs - agoMs);
  }

  private noteProblem(err: unknown): void {
    this.lastProblem = err instanceof Error ? err.message : String(err);
  }
}
