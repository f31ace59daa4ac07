// The per-node index behind /v1/facility/racks: seeded from the store's running jobs, then kept by job
// events, including those that arrive while the seed is read, without an older record undoing a newer one.
import { describe, expect, it } from "vitest";
import { facility, T0 } from "../../test/support/build.ts";
import { gpus, queued, testJob } from "../../test/support/test-records.ts";
import type { JobRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { RackOccupancy } from "./rack-occupancy.ts";

const FLOOR = facility({ id: "s1", racks: 2, nodesPerRack: 2 });

function runningRecord(id: string, version: number, nodes: [string, number][]): JobRecord {
  return {
    ...queued(testJob(id, "t1")),
    state: "running",
    startedAtMs: T0,
    allocation: gpus(...nodes),
    version,
  };
}

/** A store whose running jobs arrive when `release()` is called, so events can come in between. */
function slowStore(records: JobRecord[]) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const store = {
    listJobs: async () => {
      await gate;
      return { items: records, nextCursor: null };
    },
  } as unknown as Store;
  return { store, release };
}

const held = async (occupancy: RackOccupancy) =>
  [...(await occupancy.jobs())].map((j) => [j.jobId, Object.fromEntries(j.gpusByNode)]);

describe("RackOccupancy", () => {
  it("starts from the store's running jobs and follows their events", async () => {
    const { store, release } = slowStore([
      runningRecord("a", 2, [
        ["s1/r0n0", 0],
        ["s1/r0n0", 1],
      ]),
    ]);
    const occupancy = new RackOccupancy(FLOOR, store);
    release();
    expect(await held(occupancy)).toEqual([["a", { "s1/r0n0": 2 }]]);
    occupancy.observe({ type: "job", atMs: T0, record: runningRecord("b", 2, [["s1/r1n1", 3]]) });
    occupancy.observe({
      type: "job",
      atMs: T0,
      record: { ...runningRecord("a", 3, []), state: "completed" },
    });
    expect(await held(occupancy)).toEqual([["b", { "s1/r1n1": 1 }]]);
    expect(occupancy.nodeRack.get("s1/r1n1")).toBe("s1/r1");
  });

  it("applies events that came while the seed was read, and never an older record over a newer one", async () => {
    const { store, release } = slowStore([
      runningRecord("a", 2, [["s1/r0n0", 0]]),
      runningRecord("c", 4, [["s1/r0n1", 0]]),
    ]);
    const occupancy = new RackOccupancy(FLOOR, store);
    const reading = held(occupancy);
    // During the read: a ends, b starts, and an older event of c (its first run) comes late.
    occupancy.observe({
      type: "job",
      atMs: T0,
      record: { ...runningRecord("a", 3, []), state: "completed" },
    });
    occupancy.observe({ type: "job", atMs: T0, record: runningRecord("b", 2, [["s1/r1n0", 0]]) });
    occupancy.observe({ type: "job", atMs: T0, record: runningRecord("c", 2, [["s1/r1n1", 0]]) });
    release();
    expect(await reading).toEqual([
      ["c", { "s1/r0n1": 1 }],
      ["b", { "s1/r1n0": 1 }],
    ]);
  });
});
