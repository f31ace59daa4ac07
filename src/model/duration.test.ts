import { describe, expect, it } from "vitest";
import { formatDurationS, parseDurationS, readDurationS } from "./duration.ts";

describe("parseDurationS", () => {
  it("reads each unit: s, m (minutes), h, d, w", () => {
    expect(parseDurationS("90s")).toBe(90);
    expect(parseDurationS("30m")).toBe(1_800);
    expect(parseDurationS("36h")).toBe(129_600);
    expect(parseDurationS("7d")).toBe(604_800);
    expect(parseDurationS("2w")).toBe(1_209_600);
  });

  it("adds compound parts written largest unit first, with or without spaces", () => {
    expect(parseDurationS("1h30m")).toBe(5_400);
    expect(parseDurationS("1d 12h")).toBe(129_600);
  });

  it("accepts decimals that land on whole seconds", () => {
    expect(parseDurationS("1.5h")).toBe(5_400);
    expect(parseDurationS("0.1h")).toBe(360);
  });

  it("takes numbers, and digit-only strings, as seconds", () => {
    expect(parseDurationS(3_600)).toBe(3_600);
    expect(parseDurationS("3600")).toBe(3_600);
    expect(parseDurationS(0)).toBe(0);
  });

  it("rejects garbage with a message that shows the accepted forms", () => {
    expect(() => parseDurationS("36 hours")).toThrow(
      /"36 hours" is not a duration; use a number with a unit s, m, h, d or w/,
    );
    expect(() => parseDurationS("1h30")).toThrow(/is not a duration/);
    expect(() => parseDurationS("")).toThrow(/is empty/);
  });

  it("rejects negative, fractional-second and non-finite durations", () => {
    expect(() => parseDurationS("-5m")).toThrow(/negative/);
    expect(() => parseDurationS(-1)).toThrow(/negative/);
    expect(() => parseDurationS("0.5s")).toThrow(/whole number of seconds/);
    expect(() => parseDurationS(1.5)).toThrow(/whole number of seconds/);
    expect(() => parseDurationS(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it("rejects repeated or out-of-order units as likely typos", () => {
    expect(() => parseDurationS("30m1h")).toThrow(/largest unit first/);
    expect(() => parseDurationS("1h1h")).toThrow(/largest unit first/);
  });

  it("reports non-string, non-number values without throwing from readDurationS", () => {
    expect(readDurationS(true)).toEqual({ ok: false, problem: expect.stringMatching(/^must be a duration/) });
    expect(readDurationS(null).ok).toBe(false);
  });
});

describe("formatDurationS", () => {
  it("writes the shortest exact form, which parses back to the same seconds", () => {
    expect(formatDurationS(0)).toBe("0s");
    expect(formatDurationS(5_400)).toBe("1h30m");
    expect(formatDurationS(129_600)).toBe("1d12h");
    for (const s of [1, 59, 61, 3_599, 86_401, 1_209_600, 1_234_567]) {
      expect(parseDurationS(formatDurationS(s))).toBe(s);
    }
  });
});
