// A steady stream of work for the embedded default: the seeded synthetic tier mix (startups, research,
// frontier training, inference) submitted through the control plane as its clock reaches each job's
// arrival. Jobs are generated one six-hour window of control-plane time at a time, with ids and
// idempotency keys derived from the window, so a restart resubmits nothing twice. So that the facility is
// busy from the first minute rather than after days of arrivals, the demo starts with the jobs of the last
// three days that would still be running, submitted at once.
import { sharedGpuModels } from "../facility/shared-gpu-models.ts";
import type { Job } from "../model/types.ts";
import type { Principal } from "../store/records.ts";
import { DuplicateJobError } from "../store/store.ts";
import { FRONTIER_MODEL } from "../workloads/synthetic-jobs.ts";
import { syntheticWorkload } from "../workloads/synthetic-workload.ts";
import type { ControlPlane } from "./control-plane.ts";

const WINDOW_MS = 6 * 3_600_000;
const WARM_START_MS = 3 * 86_400_000;
const TICK_REAL_MS = 250;

export interface DemoLoadOptions {
  seed: number;
  /** Arrival multiplier of the synthetic mix: 1 ≈ 2,756 jobs a day. */
  scale: number;
  /** Told of a tick that failed; the demo carries on at the next tick. Default: ignored. */
  onError?: (error: Error) => void;
}

export class DemoLoad {
  private pending: Job[] = [];
  private nextWindowMs: number | null = null;
  /** Arrivals before the clock's first reading are not replayed: the demo starts with the clock. */
  private firstMs: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private submitting = false;
  submitted = 0;
  refused = 0;

  constructor(
    private readonly controlPlane: ControlPlane,
    private readonly principal: Principal,
    private readonly options: DemoLoadOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_REAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Submits every generated job whose arrival the clock has reached. Never rejects: a demo must not stop the service. */
  async tick(): Promise<void> {
    if (this.submitting) return;
    this.submitting = true;
    try {
      const nowMs = this.controlPlane.nowMs();
      this.generateUntil(nowMs);
      let due = 0;
      while (due < this.pending.length && this.pending[due]!.submittedAtMs <= nowMs) due++;
      const batch = this.pending.splice(0, due);
      for (const job of batch) await this.submit(job);
    } catch (err) {
      this.options.onError?.(err as Error);
    } finally {
      this.submitting = false;
    }
  }

  private async submit(job: Job): Promise<void> {
    try {
      const outcome = await this.controlPlane.submit(this.principal, job, job.id);
      if (outcome.ok) this.submitted += outcome.created ? 1 : 0;
      else this.refused += 1;
    } catch (err) {
      // Ids come from the window, tenants from the policy: after a tenant was added, a restart deals the
      // same ids out to other tenants, whose idempotency keys do not find them. The id is the job's identity:
      // one already stored was submitted before.
      if (!(err instanceof DuplicateJobError)) throw err;
    }
  }

  private generateUntil(nowMs: number): void {
    if (this.firstMs === null) {
      this.firstMs = nowMs;
      this.pending.push(...this.stillRunning(nowMs));
    }
    this.nextWindowMs ??= Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    while (this.nextWindowMs <= nowMs) {
      const fromMs = this.nextWindowMs;
      this.nextWindowMs += WINDOW_MS;
      const firstMs = this.firstMs;
      this.pending.push(...this.window(fromMs).filter((j) => j.submittedAtMs >= firstMs));
    }
  }

  /** Jobs that arrived in the last three days and would not have ended yet, as if submitted now. */
  private stillRunning(nowMs: number): Job[] {
    const jobs: Job[] = [];
    const firstWindowMs = Math.floor((nowMs - WARM_START_MS) / WINDOW_MS) * WINDOW_MS;
    for (let fromMs = firstWindowMs; fromMs <= nowMs; fromMs += WINDOW_MS)
      for (const job of this.window(fromMs))
        if (job.submittedAtMs < nowMs && job.submittedAtMs + job.estimatedRuntimeS * 1000 > nowMs)
          jobs.push({ ...job, submittedAtMs: nowMs, notBeforeAtMs: null });
    return jobs;
  }

  private window(fromMs: number): Job[] {
    const { facility } = this.controlPlane;
    const policy = this.controlPlane.policy();
    const stamp = new Date(fromMs).toISOString().slice(0, 13).replace(/[-:T]/g, "");
    return syntheticWorkload({
      seed: this.options.seed + fromMs / WINDOW_MS,
      fromMs,
      toMs: fromMs + WINDOW_MS,
      tenants: policy.tenants,
      tiers: policy.tiers,
      scale: this.options.scale,
      gpuModels: sharedGpuModels(facility),
      ...(facility.nodeTypes.some((t) => t.gpuModel === FRONTIER_MODEL) ? {} : { classMix: { frontier: 0 } }),
      idPrefix: `demo-${stamp}`,
    }).map((s) => s.job);
  }
}
