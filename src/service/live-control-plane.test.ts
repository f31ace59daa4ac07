import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import { formatUtcMinute } from "../model/format.ts";
import { openStore } from "../store/open-store.ts";
import { type JobRecord, type Principal, queuedRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { jobDraft } from "./audit-drafts.ts";
import type { DeferralSignals, LiveControlPlane } from "./live-control-plane.ts";
import { prepareControlPlane, startControlPlane } from "./start-control-plane.ts";

// One site of 2 racks × 2 nodes × 4 GPUs = 16 GPUs; national guaranteed 8, global may borrow the rest.
const FACILITY = facility({ id: "no1", racks: 2, nodesPerRack: 2, racksPerBlock: 2 });
const POLICY = policy(
  [tier("national", 8), tier("global", 0, { reclaimByPreemption: false })],
  [tenant("aurora", "national"), tenant("falcon", "global")],
);
const OPERATOR: Principal = { keyId: "key_operator", role: "operator", tenantId: null };
/** An hour of control-plane time per real second: jobs of an hour end about a second after they start. */
const SPEED = 3600;

const opened: { store: Store; cp: LiveControlPlane | null; dir: string | null }[] = [];

async function open(dir: string | null = null) {
  const store = await openStore({ dataDir: dir });
  const cp = await startControlPlane({
    store,
    facility: FACILITY,
    policy: POLICY,
    speed: SPEED,
    startAtMs: T0,
    loop: { debounceMs: 5, fullPassIntervalMs: 200, quickPassJobs: 16 },
  });
  opened.push({ store, cp, dir });
  return { store, cp };
}

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.cp?.stop();
    await o.store.close();
  }
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the live control plane", () => {
  it("runs a submitted job to completion on the simulated executor and audits each step", async () => {
    const { store, cp } = await open();
    const j = job("aurora", { gpus: 8, submittedAtMs: cp.nowMs() });
    const outcome = await cp.submit(OPERATOR, j, null);
    expect(outcome).toMatchObject({ ok: true, created: true });
    const started = await waitFor("start", async () => {
      const r = await store.getJob(j.id);
      return r?.state === "running" || r?.state === "completed" ? r : null;
    });
    expect(started.allocation?.siteId).toBe("no1");
    const done = await waitFor("completion", async () => {
      const r = await store.getJob(j.id);
      return r?.state === "completed" ? r : null;
    });
    // Ran for its estimated hour of control-plane time on 8 GPUs.
    expect(done.endedAtMs! - done.startedAtMs!).toBe(3_600_000);
    expect(done.gpuSecondsUsed).toBe(8 * 3600);
    const audit = await store.listAudit({ tenantId: "aurora", limit: 100 });
    const actions = audit.items.filter((e) => e.objectId === j.id).map((e) => e.action);
    expect(actions).toEqual(["job.submit", "job.start", "job.completed"]);
    const start = audit.items.find((e) => e.action === "job.start")!;
    expect(start.details).toMatchObject({ siteId: "no1", jurisdictions: ["NO", "EEA"], gpus: 8 });
  });

  it("refuses a job that can never run, naming the field, and stores nothing", async () => {
    const { store, cp } = await open();
    const tooBig = job("aurora", { gpus: 64, submittedAtMs: cp.nowMs() });
    const outcome = await cp.submit(OPERATOR, tooBig, null);
    expect(outcome).toMatchObject({ ok: false, field: "gpus" });
    if (!outcome.ok) expect(outcome.reason).toContain("never fits");
    const elsewhere = job("aurora", { gpus: 4, residency: ["GCC"], submittedAtMs: cp.nowMs() });
    expect(await cp.submit(OPERATOR, elsewhere, null)).toMatchObject({ ok: false, field: "residency" });
    const stranger = job("nobody", { gpus: 4, submittedAtMs: cp.nowMs() });
    expect(await cp.submit(OPERATOR, stranger, null)).toMatchObject({ ok: false, field: "tenant" });
    expect((await store.listJobs({ limit: 100 })).items).toEqual([]);
  });

  it("creates one job for a submission retried with the same idempotency key", async () => {
    const { store, cp } = await open();
    const first = await cp.submit(OPERATOR, job("falcon", { gpus: 4, submittedAtMs: cp.nowMs() }), "retry-1");
    const again = await cp.submit(OPERATOR, job("falcon", { gpus: 4, submittedAtMs: cp.nowMs() }), "retry-1");
    expect(first.ok && again.ok).toBe(true);
    if (!(first.ok && again.ok)) return;
    expect(again.created).toBe(false);
    expect(again.record.job.id).toBe(first.record.job.id);
    expect((await store.listJobs({ limit: 100 })).items).toHaveLength(1);
  });

  it("frees a cancelled running job's GPUs for the job waiting behind it", async () => {
    const { store, cp } = await open();
    const long = job("falcon", {
      gpus: 16,
      estimatedRuntimeS: 30 * 86400,
      limitS: 30 * 86400,
      submittedAtMs: cp.nowMs(),
    });
    await cp.submit(OPERATOR, long, null);
    await waitFor("long job running", async () => (await store.getJob(long.id))?.state === "running");
    const next = job("falcon", {
      gpus: 16,
      estimatedRuntimeS: 30 * 86400,
      limitS: 30 * 86400,
      submittedAtMs: cp.nowMs(),
    });
    await cp.submit(OPERATOR, next, null);
    await cp.runPass(true);
    expect((await store.getJob(next.id))?.state).toBe("queued");
    const cancelled = await cp.cancel(OPERATOR, long.id);
    expect(cancelled).toMatchObject({ ok: true, record: { state: "cancelled" } });
    await waitFor("next job running", async () => (await store.getJob(next.id))?.state === "running");
    expect(await cp.cancel(OPERATOR, long.id)).toMatchObject({ ok: false, kind: "finished" });
    expect(await cp.cancel(OPERATOR, "no-such-job")).toEqual({ ok: false, kind: "not-found" });
  });

  it("preempts a borrowed job for a tier taking back its guarantee, and requeues the victim", async () => {
    const { store, cp } = await open();
    const month = { estimatedRuntimeS: 30 * 86400, limitS: 30 * 86400 };
    const borrower = job("falcon", {
      gpus: 16,
      ...month,
      checkpointIntervalS: 600,
      submittedAtMs: cp.nowMs(),
    });
    await cp.submit(OPERATOR, borrower, null);
    await waitFor("borrower running", async () => (await store.getJob(borrower.id))?.state === "running");
    const owner = job("aurora", { gpus: 8, ...month, submittedAtMs: cp.nowMs() });
    await cp.submit(OPERATOR, owner, null);
    await waitFor("owner running", async () => (await store.getJob(owner.id))?.state === "running");
    const victim = await store.getJob(borrower.id);
    expect(victim).toMatchObject({ state: "queued", restarts: 1 });
    const audit = await store.listAudit({ tenantId: "falcon", limit: 100 });
    expect(audit.items.map((e) => e.action)).toContain("job.preempt");
  });

  it("restores queue, running jobs, allocations and clock after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fjord-cp-"));
    try {
      const first = await open(dir);
      const month = { estimatedRuntimeS: 30 * 86400, limitS: 30 * 86400 };
      const run = job("falcon", { gpus: 16, ...month, submittedAtMs: first.cp.nowMs() });
      const wait = job("aurora", { gpus: 16, ...month, submittedAtMs: first.cp.nowMs() });
      await first.cp.submit(OPERATOR, run, null);
      await waitFor("running", async () => (await first.store.getJob(run.id))?.state === "running");
      await first.cp.submit(OPERATOR, wait, null);
      await first.cp.runPass(true);
      const before = await first.store.liveJobs();
      const clockBefore = first.cp.nowMs();
      await first.cp.stop();
      await first.store.close();
      opened.splice(0);

      const second = await open(dir);
      const after = await second.store.liveJobs();
      expect(after.map((r) => [r.job.id, r.state, r.allocation])).toEqual(
        before.map((r) => [r.job.id, r.state, r.allocation]),
      );
      // The faster clock resumes where it stopped instead of jumping back to the wall clock.
      expect(second.cp.nowMs()).toBeGreaterThanOrEqual(clockBefore);
      expect(second.cp.nowMs()).toBeLessThan(clockBefore + 86_400_000);
      expect(second.cp.stats().allocatedGpusByTier).toEqual({ national: 0, global: 16 });
      const national = (await second.cp.queue(null, 100)).tiers.find((t) => t.tierId === "national")!;
      expect(national.waiting.map((w) => w.jobId)).toEqual([wait.id]);
      expect(national.waitingCount).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deferral in the live control plane", () => {
  const H = 3_600_000;
  /** Carbon intensity from the first hour asked for: 300 g/kWh, except 60 g/kWh in its hours 3 to 5. */
  const SIGNALS: DeferralSignals = {
    signalsFor: (period) => {
      const carbon = Float64Array.from({ length: 48 }, (_, h) => (h >= 3 && h < 6 ? 60 : 300));
      const series = {
        fromMs: period.fromMs,
        outdoorTemperatureC: new Float64Array(48),
        carbonGPerKWh: carbon,
        priceEurPerMWh: carbon,
      };
      return { ok: true, signals: { source: "hand-made", bySite: new Map([["no1", series]]) } };
    },
  };

  it("defers a submitted flexible job to the clean hours and its queue entry says so", async () => {
    const store = await openStore({ dataDir: null });
    const cp = await startControlPlane({
      store,
      facility: FACILITY,
      policy: { ...POLICY, deferral: { signal: "carbon", minSaving: 0.1, maxDelayS: 12 * 3600 } },
      // The wall clock's pace: the clean hours stay hours away while the test looks.
      speed: 1,
      signals: SIGNALS,
      loop: { debounceMs: 5, fullPassIntervalMs: 200, quickPassJobs: 16 },
    });
    opened.push({ store, cp, dir: null });
    const flexible = job("aurora", { gpus: 4, submittedAtMs: cp.nowMs(), labels: { deferrable: "true" } });
    const rigid = job("aurora", { gpus: 4, submittedAtMs: cp.nowMs() });
    await cp.submit(OPERATOR, flexible, null);
    await cp.submit(OPERATOR, rigid, null);
    await cp.runPass(true);

    const cleanFromMs = Math.floor(flexible.submittedAtMs / H) * H + 3 * H;
    const stored = await store.getJob(flexible.id);
    expect(stored?.job.deferral).toMatchObject({ untilAtMs: cleanFromMs, signal: "carbon" });
    expect(stored?.job.deferral?.saving).toBeCloseTo(0.8, 9);
    expect(stored?.job.notBeforeAtMs).toBe(cleanFromMs);
    const entry = (await cp.queue(null, 100)).tiers
      .flatMap((t) => t.waiting)
      .find((w) => w.jobId === flexible.id);
    expect(entry?.reason.kind).toBe("deferred");
    expect(entry?.sentence).toBe(`deferred: 80 % cleaner hours from ${formatUtcMinute(cleanFromMs)}`);
    // The job that never opted in is neither changed nor held back.
    expect((await store.getJob(rigid.id))?.job).toEqual(rigid);
    expect((await store.getJob(rigid.id))?.state).toBe("running");
  });
});

describe("a pass that decides many starts", () => {
  it("stores them in parts, each whole, and runs every one", async () => {
    const store = await openStore({ dataDir: null });
    const jobs = Array.from({ length: 8 }, () => job("aurora", { gpus: 1, submittedAtMs: T0 - 1000 }));
    for (const j of jobs)
      await store.submitJob(queuedRecord(j, "test", null), jobDraft(T0, "test", "job.submit", j));
    const transition = store.transition.bind(store);
    let transactions = 0;
    store.transition = (transitions) => {
      if (transitions.some((t) => t.kind === "start")) transactions += 1;
      return transition(transitions);
    };
    const { controlPlane, start } = await prepareControlPlane({
      store,
      facility: FACILITY,
      policy: POLICY,
      startAtMs: T0,
      loop: { debounceMs: 5, fullPassIntervalMs: 60_000, quickPassJobs: 16, decisionsPerTransaction: 3 },
    });
    opened.push({ store, cp: controlPlane, dir: null });
    await start();
    await controlPlane.firstPass();
    expect(transactions).toBe(3);
    const states = await Promise.all(jobs.map(async (j) => (await store.getJob(j.id))?.state));
    expect(states).toEqual(jobs.map(() => "running"));
  });
});

describe("jobs that ended while the service was down", () => {
  it("are stored together, not in a transaction each", async () => {
    const store = await openStore({ dataDir: null });
    // Every GPU of the facility runs a one-GPU job, adopted at start as after a restart.
    const runningRecords: JobRecord[] = FACILITY.nodes.flatMap((node) =>
      [0, 1, 2, 3].map((gpu) => ({
        ...queuedRecord(job("aurora", { gpus: 1 }), "test", null),
        state: "running" as const,
        startedAtMs: T0,
        allocation: { siteId: node.siteId, nodes: [{ nodeId: node.id, gpus: [gpu] }] },
      })),
    );
    store.liveJobs = async () => runningRecords;
    const transition = store.transition.bind(store);
    let transactions = 0;
    store.transition = (transitions) => {
      if (transitions.some((t) => t.kind === "finish")) transactions += 1;
      return transition(transitions);
    };
    const adopted: string[] = [];
    const { controlPlane, start } = await prepareControlPlane({
      store,
      facility: FACILITY,
      policy: POLICY,
      startAtMs: T0,
      loop: { debounceMs: 5, fullPassIntervalMs: 60_000, quickPassJobs: 16 },
      executor: () => ({
        start: (j) => adopted.push(j.id),
        stop: () => {},
        lagMs: () => 0,
        close: async () => {},
      }),
    });
    opened.push({ store, cp: controlPlane, dir: null });
    await start();
    // The executor finds them all overdue at once, as the simulated one does after a restart.
    for (const id of adopted) controlPlane.finished(id, T0 + 3_600_000, "completed");
    await waitFor("the ends to be stored", async () => transactions > 0);
    await controlPlane.stop();
    expect(adopted).toHaveLength(16);
    expect(transactions).toBe(1);
  });
});

describe("stopping", () => {
  it("abandons a pass in flight instead of waiting for it, so a long queue cannot hold up a drain", async () => {
    const store = await openStore({ dataDir: null });
    // A long queue, given straight to the control plane: the first pass over it is still running on the
    // scheduler thread when stop() comes.
    const queue: JobRecord[] = Array.from({ length: 20_000 }, (_, i) =>
      queuedRecord(
        job(i % 2 === 0 ? "aurora" : "falcon", { gpus: 1 + (i % 8), submittedAtMs: T0 + i }),
        "test",
        null,
      ),
    );
    store.liveJobs = async () => queue;
    const { controlPlane, start } = await prepareControlPlane({
      store,
      facility: facility({ id: "no1", racks: 40, nodesPerRack: 18, racksPerBlock: 8 }),
      policy: POLICY,
      startAtMs: T0,
      loop: { debounceMs: 5, fullPassIntervalMs: 60_000, quickPassJobs: 16 },
    });
    opened.push({ store, cp: null, dir: null });
    await start();
    expect(controlPlane.ready()).toBe(true);
    await controlPlane.stop();
    expect(controlPlane.stats().passes).toBe(0);
    expect(controlPlane.lifecycle().state).toBe("stopped");
  });
});
