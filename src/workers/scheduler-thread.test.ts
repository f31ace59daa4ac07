import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job } from "../model/types.ts";
import { LiveScheduler, type PassResult } from "../service/live-scheduler.ts";
import { SchedulerThread } from "./scheduler-thread.ts";

const FACILITY = facility({ id: "no1", racks: 2, nodesPerRack: 2, racksPerBlock: 2 });
const POLICY = policy(
  [tier("national", 8), tier("global", 0)],
  [tenant("aurora", "national"), tenant("bifrost", "national"), tenant("falcon", "global")],
);
const TENANTS = ["aurora", "bifrost", "falcon"];

type Step =
  | { kind: "submit"; tenant: number; gpus: number }
  | { kind: "pass"; full: boolean }
  | { kind: "finish"; pick: number }
  | { kind: "cancel"; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("submit" as const),
    tenant: fc.nat({ max: 2 }),
    gpus: fc.constantFrom(1, 2, 4, 8, 16),
  }),
  fc.record({ kind: fc.constant("pass" as const), full: fc.boolean() }),
  fc.record({ kind: fc.constant("finish" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
);

const withoutTiming = ({ durationMs: _, ...rest }: PassResult) => rest;

describe("the scheduler thread", () => {
  const failures: Error[] = [];
  const thread = new SchedulerThread(FACILITY, POLICY, (err) => failures.push(err));
  afterAll(() => thread.close());

  it("decides exactly as the same scheduler on the caller's thread, command for command", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const local = new LiveScheduler(FACILITY, POLICY);
        thread.reset(POLICY, [], [], []);
        const queued: Job[] = [];
        const running: string[] = [];
        let nowMs = T0;
        for (const s of steps) {
          nowMs += 60_000;
          if (s.kind === "submit") {
            const j = job(TENANTS[s.tenant]!, { gpus: s.gpus, submittedAtMs: nowMs });
            local.submit(j);
            thread.submit(j);
            queued.push(j);
          } else if (s.kind === "finish" && running.length > 0) {
            const [id] = running.splice(s.pick % running.length, 1);
            local.finish(id!);
            thread.finish(id!);
          } else if (s.kind === "cancel" && queued.length > 0) {
            const [j] = queued.splice(s.pick % queued.length, 1);
            local.cancel(j!.id);
            thread.cancel(j!.id);
          } else if (s.kind === "pass") {
            const request = { nowMs, usage: [], full: s.full, quickPassJobs: 2 };
            const mine = local.pass(request);
            expect(withoutTiming(await thread.pass(request))).toEqual(withoutTiming(mine));
            for (const d of mine.start) {
              running.push(d.jobId);
              queued.splice(
                queued.findIndex((j) => j.id === d.jobId),
                1,
              );
            }
            // Preempted jobs are gone until the caller submits them again; this test does not.
            for (const p of mine.preempt) running.splice(running.indexOf(p.jobId), 1);
          }
        }
        expect(await thread.snapshot()).toEqual(local.snapshot());
        // Tiers only: the view's time is that of the thread's last pass, which may be an earlier run's.
        expect((await thread.queue(null, 1000)).tiers).toEqual(local.queue(null, 1000).tiers);
        expect((await thread.queue("bifrost", 1)).tiers).toEqual(local.queue("bifrost", 1).tiers);
      }),
      { numRuns: 200 },
    );
  });

  it("ignores a job submitted twice, and reports a command it cannot carry out to its owner", async () => {
    thread.reset(POLICY, [], [], []);
    const j = job("aurora", { gpus: 4, submittedAtMs: T0 });
    thread.submit(j);
    thread.submit(j);
    const first = await thread.pass({ nowMs: T0, usage: [], full: true, quickPassJobs: 2 });
    expect(first.start.map((d) => d.jobId)).toEqual([j.id]);
    expect(failures).toEqual([]);
    // A job both running and queued is a contradiction the scheduler refuses.
    const running = { job: j, startedAtMs: T0, allocation: first.start[0]!.allocation };
    thread.reset(POLICY, [running], [j], []);
    await thread.snapshot();
    expect(failures.map((e) => e.message)).toEqual([`job ${j.id} is already known to the scheduler`]);
    // Requests go on: the owner decides how to set the scheduler afresh.
    thread.reset(POLICY, [running], [], []);
    expect((await thread.snapshot()).allocatedGpus).toBe(4);
  });

  it("refuses requests once it is closed", async () => {
    const short = new SchedulerThread(FACILITY, POLICY, () => {});
    const pending = expect(short.snapshot()).rejects.toThrow(/stopped/);
    await short.close();
    await pending;
    await expect(short.pass({ nowMs: T0, usage: [], full: true, quickPassJobs: 2 })).rejects.toThrow(
      /stopped/,
    );
  });
});
