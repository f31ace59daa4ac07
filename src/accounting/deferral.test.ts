import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestStartHour } from "./deferral.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const H = 3_600_000;
const T0 = Date.parse("2026-06-01T00:00:00Z");
/** A day of carbon intensity: dirty until 10:00, clean 10:00–14:00, dirty again after. */
const DAY = { fromMs: T0, values: Array.from({ length: 24 }, (_, h) => (h >= 10 && h < 14 ? 10 : 100)) };

describe("bestStartHour", () => {
  it("moves a two-hour job into the cleanest hours when its deadline allows", () => {
    const choice = bestStartHour(DAY, {
      earliestStartMs: T0,
      runtimeS: 7200,
      deadlineAtMs: T0 + 20 * H,
      maxDelayS: 86_400,
    });
    expect(choice).toMatchObject({
      startAtMs: T0 + 10 * H,
      delayS: 36_000,
      meanSignal: 10,
      baselineMeanSignal: 100,
    });
  });

  it("never lets the run end after the deadline, even when cleaner hours come later", () => {
    const choice = bestStartHour(DAY, {
      earliestStartMs: T0,
      runtimeS: 7200,
      deadlineAtMs: T0 + 11 * H,
      maxDelayS: 86_400,
    });
    // The latest start that still ends by 11:00 is 09:00, half in the clean window.
    expect(choice.startAtMs).toBe(T0 + 9 * H);
    expect(choice).toMatchObject({ meanSignal: 55 });
  });

  it("does not delay a job on a flat signal", () => {
    const flat = { fromMs: T0, values: Array.from({ length: 24 }, () => 30) };
    expect(
      bestStartHour(flat, {
        earliestStartMs: T0 + 1_000,
        runtimeS: 3600,
        deadlineAtMs: null,
        maxDelayS: 86_400,
      }),
    ).toMatchObject({
      startAtMs: T0 + 1_000,
      delayS: 0,
    });
  });

  it("does not delay a job that misses its deadline even if started now", () => {
    expect(
      bestStartHour(DAY, { earliestStartMs: T0, runtimeS: 7200, deadlineAtMs: T0 + H, maxDelayS: 86_400 }),
    ).toEqual({
      startAtMs: T0,
      delayS: 0,
      reason: "misses-deadline-anyway",
    });
  });

  it("does not guess when the signal ends before the run would", () => {
    expect(
      bestStartHour(DAY, {
        earliestStartMs: T0 + 23 * H,
        runtimeS: 7200,
        deadlineAtMs: null,
        maxDelayS: 86_400,
      }),
    ).toMatchObject({
      reason: "signal-does-not-cover-run",
    });
  });

  it("never starts past the deadline minus the runtime, never before the earliest start, and never does worse than starting at once", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 48, maxLength: 48 }),
        fc.integer({ min: 0, max: 20 * 3600 }),
        fc.integer({ min: 60, max: 12 * 3600 }),
        fc.option(fc.integer({ min: 0, max: 30 * 3600 }), { nil: null }),
        (values, earliestS, runtimeS, slackS) => {
          const earliestStartMs = T0 + earliestS * 1000;
          const deadlineAtMs = slackS === null ? null : earliestStartMs + (runtimeS + slackS) * 1000;
          const choice = bestStartHour(
            { fromMs: T0, values },
            { earliestStartMs, runtimeS, deadlineAtMs, maxDelayS: 24 * 3600 },
          );
          expect(choice.startAtMs).toBeGreaterThanOrEqual(earliestStartMs);
          if (deadlineAtMs !== null)
            expect(choice.startAtMs + runtimeS * 1000).toBeLessThanOrEqual(deadlineAtMs);
          if ("meanSignal" in choice)
            expect(choice.meanSignal).toBeLessThanOrEqual(choice.baselineMeanSignal + 1e-9);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
