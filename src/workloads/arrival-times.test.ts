import { describe, expect, it } from "vitest";
import { arrivalTimes, FLAT_WEEK, HOURS_PER_WEEK, osloHourOfWeek, weekProfile } from "./arrival-times.ts";
import { mulberry32 } from "./prng.ts";

const DAY_MS = 86_400_000;

describe("osloHourOfWeek", () => {
  it("counts from Monday 00:00 in Oslo standard time (UTC+1)", () => {
    expect(osloHourOfWeek(Date.parse("2026-12-06T23:00:00Z"))).toBe(0); // Monday 00:00 in Oslo
    expect(osloHourOfWeek(Date.parse("2026-12-07T07:30:00Z"))).toBe(8);
    expect(osloHourOfWeek(Date.parse("2026-12-13T22:59:59Z"))).toBe(HOURS_PER_WEEK - 1); // Sunday 23:59
    expect(osloHourOfWeek(0)).toBe(3 * 24 + 1); // Thursday 1970-01-01 01:00 in Oslo
    expect(osloHourOfWeek(-3_600_000)).toBe(3 * 24);
  });
});

describe("weekProfile", () => {
  it("normalises the rate to a mean of 1 over the week", () => {
    const p = weekProfile((day) => (day < 5 ? 2 : 1));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(HOURS_PER_WEEK, 9);
    expect(p[0]! / p[HOURS_PER_WEEK - 1]!).toBeCloseTo(2, 9);
  });
});

describe("arrivalTimes", () => {
  const from = Date.parse("2026-01-05T00:00:00Z");
  const to = from + 28 * DAY_MS;

  it("arrives at the mean rate, in order, inside [from, to)", () => {
    const times = arrivalTimes(mulberry32(1), from, to, 500, FLAT_WEEK);
    expect(times.length).toBeGreaterThan(500 * 28 * 0.97);
    expect(times.length).toBeLessThan(500 * 28 * 1.03);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]!).toBeGreaterThanOrEqual(from);
    expect(times.at(-1)!).toBeLessThan(to);
  });

  it("follows the profile: no arrivals in hours whose rate is 0", () => {
    const weekdaysOnly = weekProfile((day) => (day < 5 ? 1 : 0));
    const times = arrivalTimes(mulberry32(2), from, to, 500, weekdaysOnly);
    expect(times.every((t) => osloHourOfWeek(t) < 5 * 24)).toBe(true);
    expect(times.length).toBeGreaterThan(500 * 28 * 0.97);
  });

  it("gives no arrivals at rate 0", () => {
    expect(arrivalTimes(mulberry32(3), from, to, 0, FLAT_WEEK)).toEqual([]);
  });
});
