import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { PROTO_KEY_RULE } from "../model/proto-keys.ts";
import { checkSchedule } from "./check-schedule.ts";
import type { Schedule } from "./schedule.ts";
import { scheduleFromResults } from "./schedule-document.ts";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const H = 3_600_000;

const schedule = (): Schedule => ({
  fromMs: T0,
  toMs: T0 + 24 * H,
  jobs: [
    {
      jobId: "j1",
      tenantId: "aurora-labs",
      tierId: "national",
      labels: { class: "research" },
      runs: [{ siteId: "s", startAtMs: T0, endAtMs: T0 + H, gpus: 4 }],
    },
  ],
});

describe("scheduleFromResults", () => {
  it("reads the first run's schedule, or the run with the given label", () => {
    const doc = {
      runs: [
        { label: "default", schedule: schedule() },
        { label: "fifo-easy", schedule: { ...schedule(), jobs: [] } },
      ],
    };
    expect(scheduleFromResults(doc, "results.json")).toMatchObject({ label: "default", index: 0 });
    expect(scheduleFromResults(doc, "results.json", "fifo-easy").schedule.jobs).toEqual([]);
  });

  it("names a run label that is not in the file, with the labels that are", () => {
    const err = catchInputError(() =>
      scheduleFromResults({ runs: [{ label: "default", schedule: schedule() }] }, "r.json", "other"),
    );
    expect(err.message).toBe("r.json: runs: has no run labelled 'other' (runs: default)");
  });

  it("says so when the file was written without a schedule", () => {
    const err = catchInputError(() =>
      scheduleFromResults({ runs: [{ label: "default", metrics: {} }] }, "r.json"),
    );
    expect(issueLines(err)).toEqual([
      "runs[0].schedule: is missing: the file holds metrics only; write it with a `fjord simulate` that records the schedule",
    ]);
  });

  it("reports a bad field at its path in the file", () => {
    const bad = schedule();
    (bad.jobs[0]!.runs[0] as { gpus: unknown }).gpus = 0;
    bad.jobs[0]!.runs[0]!.endAtMs = T0 - 1;
    const err = catchInputError(() =>
      scheduleFromResults({ runs: [{ label: "x", schedule: bad }] }, "r.json"),
    );
    expect(issueLines(err)).toEqual(["runs[0].schedule.jobs[0].runs[0].gpus: must be a positive integer"]);
    (bad.jobs[0]!.runs[0] as { gpus: unknown }).gpus = 4;
    const order = catchInputError(() =>
      scheduleFromResults({ runs: [{ label: "x", schedule: bad }] }, "r.json"),
    );
    expect(issueLines(order)).toEqual([
      "runs[0].schedule.jobs[0].runs[0].endAtMs: must not be before startAtMs",
    ]);
  });

  it("refuses a __proto__ label, which reading would drop, and keeps one called constructor", () => {
    const text = JSON.stringify({ runs: [{ label: "x", schedule: schedule() }] }).replace(
      '"class":"research"',
      '"__proto__":"x","constructor":"y"',
    );
    const err = catchInputError(() => scheduleFromResults(JSON.parse(text), "r.json"));
    expect(issueLines(err)).toEqual([`runs[0].schedule.jobs[0].labels.__proto__: ${PROTO_KEY_RULE}`]);
    const kept = scheduleFromResults(JSON.parse(text.replace('"__proto__":"x",', "")), "r.json");
    expect(kept.schedule.jobs[0]!.labels).toEqual({ constructor: "y" });
  });
});

describe("checkSchedule", () => {
  const f = facility({ id: "s", racks: 1, nodesPerRack: 2 });

  it("accepts a schedule that fits the facility", () => {
    expect(checkSchedule(schedule(), f)).toEqual([]);
  });

  it("names a run at a site the facility does not have", () => {
    const s = schedule();
    s.jobs[0]!.runs[0]!.siteId = "elsewhere";
    expect(checkSchedule(s, f, ["runs", 0, "schedule"]).map((i) => `${i.path}: ${i.message}`)).toEqual([
      "runs[0].schedule.jobs[0].runs[0].siteId: unknown site 'elsewhere' (known: s)",
    ]);
  });

  it("names a run larger than its site and the first instant at which runs hold more GPUs than the site has", () => {
    const big = schedule();
    big.jobs[0]!.runs[0]!.gpus = 9;
    expect(checkSchedule(big, f)[0]?.message).toBe("is 9, more than site s's 8 GPUs");
    const crowded = schedule();
    crowded.jobs.push({
      ...crowded.jobs[0]!,
      jobId: "j2",
      runs: [{ siteId: "s", startAtMs: T0 + H / 2, endAtMs: T0 + 2 * H, gpus: 8 }],
    });
    const handOver = schedule();
    handOver.jobs.push({
      ...handOver.jobs[0]!,
      jobId: "j2",
      runs: [{ siteId: "s", startAtMs: T0 + H, endAtMs: T0 + 2 * H, gpus: 8 }],
    });
    expect(checkSchedule(handOver, f)).toEqual([]);
    expect(checkSchedule(crowded, f).map((i) => i.message)).toEqual([
      "hold 12 GPUs at site s from 2026-03-01T00:30Z, more than its 8",
    ]);
  });

  it("adds shares of a GPU exactly: 0.1 + 0.2 + 0.7 of the last GPU fill the site, one thousandth more does not", () => {
    const full = schedule();
    full.jobs[0]!.runs[0]!.gpus = 7;
    const share = (jobId: string, gpus: number) => ({
      ...full.jobs[0]!,
      jobId,
      runs: [{ siteId: "s", startAtMs: T0, endAtMs: T0 + H, gpus }],
    });
    full.jobs.push(share("a", 0.1), share("b", 0.2), share("c", 0.7));
    expect(checkSchedule(full, f)).toEqual([]);
    full.jobs.push(share("d", 0.001));
    expect(checkSchedule(full, f).map((i) => i.message)).toEqual([
      "hold 8.001 GPUs at site s from 2026-03-01T00:00Z, more than its 8",
    ]);
  });

  it("names a utilisation label that is not a share", () => {
    const s = schedule();
    s.jobs[0]!.labels = { gpuUtilisation: "lots" };
    expect(checkSchedule(s, f).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'jobs[0].labels.gpuUtilisation: must be a share from 0 to 1, not "lots"',
    ]);
  });
});
