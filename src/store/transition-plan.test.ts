import { describe, expect, it } from "vitest";
import {
  cancel,
  finish,
  gpus,
  queued,
  requeue,
  start,
  T0,
  testJob,
} from "../../test/support/test-records.ts";
import { applyTransition } from "./job-lifecycle.ts";
import type { JobRecord } from "./records.ts";
import { GpuAlreadyHeldError } from "./store-errors.ts";
import { planTransitions } from "./transition-plan.ts";

const S = 1000;

function running(id: string, startedAtMs: number, ...pairs: [string, number][]): JobRecord {
  return {
    ...queued(testJob(id, "t1")),
    state: "running",
    startedAtMs,
    allocation: gpus(...pairs),
    version: 2,
  };
}

describe("job lifecycle", () => {
  it("starts only queued jobs, on exactly the given GPUs", () => {
    const r = applyTransition(queued(testJob("a", "t1")), start("a", T0, gpus(["n1", 0], ["n1", 1])));
    expect(r).toMatchObject({ state: "running", startedAtMs: T0, endedAtMs: null, version: 2 });
    expect(r?.allocation).toEqual(gpus(["n1", 0], ["n1", 1]));
    expect(applyTransition(running("a", T0, ["n1", 0]), start("a", T0, gpus(["n2", 0])))).toBeNull();
  });

  it("charges a finished run's GPU-seconds and keeps the GPUs it ended on", () => {
    const r = applyTransition(running("a", T0, ["n1", 0], ["n1", 1]), finish("a", T0 + 90 * S, "failed"));
    expect(r).toMatchObject({ state: "failed", endedAtMs: T0 + 90 * S, gpuSecondsUsed: 180, version: 3 });
    expect(r?.allocation).toEqual(gpus(["n1", 0], ["n1", 1]));
  });

  it("sends a preempted job back to the queue with one more restart and its usage so far", () => {
    const r = applyTransition(running("a", T0, ["n1", 0]), requeue("a", T0 + 10 * S));
    expect(r).toMatchObject({ state: "queued", restarts: 1, gpuSecondsUsed: 10, endedAtMs: T0 + 10 * S });
  });

  it("cancels queued and running jobs, charging only time on GPUs", () => {
    expect(applyTransition(queued(testJob("a", "t1")), cancel("a", T0 + S))).toMatchObject({
      state: "cancelled",
      gpuSecondsUsed: 0,
      endedAtMs: null,
    });
    expect(applyTransition(running("a", T0, ["n1", 0]), cancel("a", T0 + 5 * S))).toMatchObject({
      state: "cancelled",
      gpuSecondsUsed: 5,
    });
    expect(
      applyTransition({ ...queued(testJob("a", "t1")), state: "completed" }, cancel("a", T0)),
    ).toBeNull();
  });

  it("charges nothing for a run whose end reads earlier than its start (a clock stepped back)", () => {
    expect(applyTransition(running("a", T0, ["n1", 0]), finish("a", T0 - S))?.gpuSecondsUsed).toBe(0);
  });
});

describe("transition plan", () => {
  it("applies in input order and skips transitions whose job is elsewhere or unknown", () => {
    const current = new Map([["a", queued(testJob("a", "t1"))]]);
    const plan = planTransitions(current, [
      finish("a", T0),
      start("a", T0, gpus(["n1", 0])),
      start("a", T0 + S, gpus(["n1", 1])),
      cancel("ghost", T0),
    ]);
    expect(plan.outcome.applied.map((r) => [r.job.id, r.state, r.version])).toEqual([["a", "running", 2]]);
    expect(plan.outcome.skipped).toEqual([
      { jobId: "a", kind: "finish", state: "queued" },
      { jobId: "a", kind: "start", state: "running" },
      { jobId: "ghost", kind: "cancel", state: null },
    ]);
    expect(plan.claims).toEqual([{ nodeId: "n1", gpuIndex: 0, jobId: "a" }]);
    expect(plan.audit.map((d) => d.action)).toEqual(["job.start"]);
  });

  it("lets a GPU freed earlier in the batch go to another job", () => {
    const current = new Map([
      ["a", running("a", T0, ["n1", 0])],
      ["b", queued(testJob("b", "t2"))],
    ]);
    const plan = planTransitions(current, [
      finish("a", T0 + 60 * S),
      start("b", T0 + 60 * S, gpus(["n1", 0])),
    ]);
    expect(plan.releasedJobIds).toEqual(["a"]);
    expect(plan.claims).toEqual([{ nodeId: "n1", gpuIndex: 0, jobId: "b" }]);
    expect(plan.endedRuns).toEqual([{ jobId: "a", run: 0, endedAtMs: T0 + 60 * S }]);
    expect(plan.startedRuns).toEqual([
      {
        jobId: "b",
        run: 0,
        tenantId: "t2",
        siteId: "s1",
        gpus: 1,
        startedAtMs: T0 + 60 * S,
        endedAtMs: null,
      },
    ]);
  });

  it("refuses a GPU that a job in the batch still holds at that point", () => {
    const current = new Map([
      ["a", running("a", T0, ["n1", 0])],
      ["b", queued(testJob("b", "t2"))],
    ]);
    expect(() => planTransitions(current, [start("b", T0, gpus(["n1", 0])), finish("a", T0)])).toThrow(
      GpuAlreadyHeldError,
    );
    const twice = new Map([["b", queued(testJob("b", "t2"))]]);
    expect(() => planTransitions(twice, [start("b", T0, gpus(["n1", 3], ["n1", 3]))])).toThrow(/twice/);
  });

  it("records a run started and ended in the same batch without claiming its GPUs", () => {
    const current = new Map([["a", queued(testJob("a", "t1"))]]);
    const plan = planTransitions(current, [
      start("a", T0, gpus(["n1", 0])),
      requeue("a", T0 + S),
      start("a", T0 + 2 * S, gpus(["n2", 1])),
    ]);
    expect(plan.startedRuns).toEqual([
      { jobId: "a", run: 0, tenantId: "t1", siteId: "s1", gpus: 1, startedAtMs: T0, endedAtMs: T0 + S },
      { jobId: "a", run: 1, tenantId: "t1", siteId: "s1", gpus: 1, startedAtMs: T0 + 2 * S, endedAtMs: null },
    ]);
    expect(plan.claims).toEqual([{ nodeId: "n2", gpuIndex: 1, jobId: "a" }]);
    expect(plan.releasedJobIds).toEqual([]);
    expect(plan.changed).toHaveLength(1);
    expect(plan.changed[0]).toMatchObject({ state: "running", restarts: 1, version: 4 });
  });
});
