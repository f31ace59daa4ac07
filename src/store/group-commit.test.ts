import { describe, expect, it } from "vitest";
import { GroupCommit, type Settled } from "./group-commit.ts";

/** A group runner whose groups finish only when the test says so. */
function gatedRunner(fail: (group: number[]) => boolean = () => false) {
  const groups: number[][] = [];
  const gates: (() => void)[] = [];
  const runGroup = async (group: number[]): Promise<Settled<number>[]> => {
    groups.push(group);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (fail(group)) throw new Error(`group ${group.join(",")} failed`);
    return group.map((n) =>
      n < 0 ? { ok: false, error: new Error(`${n} refused`) } : { ok: true, value: n * 10 },
    );
  };
  const open = () => {
    for (const gate of gates.splice(0)) gate();
  };
  return { groups, runGroup, open };
}

/** Lets every promise callback queued so far run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("group commit", () => {
  it("puts the requests that arrive while a group is in flight into the next group together", async () => {
    const runner = gatedRunner();
    const commit = new GroupCommit(runner.runGroup, 100, 1);
    const first = commit.run(1);
    const later = [commit.run(2), commit.run(3), commit.run(4)];
    expect(runner.groups).toEqual([[1]]);
    runner.open();
    expect(await first).toBe(10);
    expect(runner.groups).toEqual([[1], [2, 3, 4]]);
    runner.open();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it("runs at most maxInFlight groups at once, each at most maxGroup long", async () => {
    const runner = gatedRunner();
    const commit = new GroupCommit(runner.runGroup, 2, 2);
    const all = [1, 2, 3, 4, 5].map((n) => commit.run(n));
    expect(runner.groups).toEqual([[1], [2]]);
    runner.open();
    await all[1];
    expect(runner.groups).toEqual([[1], [2], [3, 4], [5]]);
    runner.open();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it("fails only the request a group refuses, and the rest of its group still succeeds", async () => {
    const runner = gatedRunner();
    const commit = new GroupCommit(runner.runGroup, 100, 1);
    const first = commit.run(1);
    const refused = commit.run(-2);
    const third = commit.run(3);
    runner.open();
    await first;
    runner.open();
    await expect(refused).rejects.toThrow("-2 refused");
    expect(await third).toBe(30);
  });

  it("retries a failed group one request at a time, so only the bad request fails", async () => {
    const runner = gatedRunner((group) => group.includes(13));
    const commit = new GroupCommit(runner.runGroup, 100, 1);
    const first = commit.run(1);
    const rest = [commit.run(12), commit.run(13), commit.run(14)];
    runner.open();
    await first;
    const settled = Promise.allSettled(rest);
    for (let i = 0; i < 4; i++) {
      runner.open();
      await nextTurn();
    }
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(runner.groups).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
  });

  it("reports idle once every queued request is settled", async () => {
    const runner = gatedRunner();
    const commit = new GroupCommit(runner.runGroup, 100, 1);
    const settled: number[] = [];
    void commit.run(1).then((v) => settled.push(v));
    void commit.run(2).then((v) => settled.push(v));
    const idle = commit.idle();
    runner.open();
    await nextTurn();
    runner.open();
    await idle;
    expect(settled).toEqual([10, 20]);
  });
});
