import { describe, expect, it } from "vitest";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import type { Period } from "../accounting/period.ts";
import { readSignalsCsv } from "./read-signals-csv.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const PERIOD: Period = { fromMs: T0, toMs: T0 + 3 * 3_600_000 };
const HEADER = "time,site,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh";
const WANTED = { period: PERIOD, siteIds: ["a"], knownSiteIds: ["a", "b"] };

function rows(site: string, values: [number, number, number][]): string[] {
  return values.map(([t, c, p], h) => `2026-01-01T0${h}:00:00Z,${site},${t},${c},${p}`);
}

const read = (lines: string[], wanted = WANTED) =>
  readSignalsCsv(`${lines.join("\n")}\n`, "signals.csv", wanted);
const problems = (lines: string[], wanted = WANTED) =>
  catchInputError(() => read(lines, wanted)).message.split("\n");

describe("readSignalsCsv", () => {
  it("reads each site's hours into series that start at the period", () => {
    const signals = read([
      HEADER,
      ...rows("a", [
        [-3, 15, 20],
        [-4, 16, 21],
        [-5, 17, -2],
      ]),
      ...rows("b", [[1, 1, 1]]),
    ]);
    const a = signals.bySite.get("a")!;
    expect(a.fromMs).toBe(T0);
    expect(Array.from(a.outdoorTemperatureC)).toEqual([-3, -4, -5]);
    expect(Array.from(a.carbonGPerKWh)).toEqual([15, 16, 17]);
    expect(Array.from(a.priceEurPerMWh)).toEqual([20, 21, -2]);
    expect(signals.source).toBe("signals.csv");
  });

  it("applies every row to every site when the file has no site column, in any column order and time zone", () => {
    const lines = [
      "spotPriceEurPerMWh,time,carbonIntensityGPerKWh,outdoorTemperatureC",
      "30,2026-01-01T01:00:00+01:00,10,0",
      "31,2026-01-01T01:00:00Z,11,1",
      "32,2026-01-01T02:00:00Z,12,2",
    ];
    const signals = read(lines, { ...WANTED, siteIds: ["a", "b"] });
    expect(Array.from(signals.bySite.get("b")!.priceEurPerMWh)).toEqual([30, 31, 32]);
  });

  it("names the line and column of a cell that is not a number in its range", () => {
    const lines = [
      HEADER,
      "2026-01-01T00:00:00Z,a,warm,15,20",
      "2026-01-01T01:00:00Z,a,1,-5,20",
      "2026-01-01T02:00:00Z,a,1,5,20",
    ];
    expect(problems(lines)).toEqual([
      'signals.csv: outdoorTemperatureC: must be a number from -90 to 70, not "warm" (line 2)',
      'signals.csv: carbonIntensityGPerKWh: must be a number, 0 or more, not "-5" (line 3)',
    ]);
  });

  it("refuses times without a zone or off the hour, and repeated hours, at their lines", () => {
    const lines = [
      HEADER,
      "2026-01-01T00:00:00,a,1,1,1",
      "2026-01-01T00:30:00Z,a,1,1,1",
      "2026-01-01T01:00:00Z,a,1,1,1",
      "2026-01-01T01:00:00Z,a,2,2,2",
    ];
    expect(problems(lines)).toEqual([
      'signals.csv: time: must be an ISO 8601 time with Z or an offset, like 2026-01-01T00:00:00Z, not "2026-01-01T00:00:00" (line 2)',
      'signals.csv: time: must be the start of an hour (minutes and seconds 0), not "2026-01-01T00:30:00Z" (line 3)',
      "signals.csv: time: repeats hour 2026-01-01T01:00:00Z for site a (first given at line 4) (line 5)",
    ]);
  });

  it("names the hours a site lacks", () => {
    expect(problems([HEADER, ...rows("a", [[1, 1, 1]])])).toEqual([
      "signals.csv: site a lacks 2 hours of the period: 2026-01-01T01:00Z, 2026-01-01T02:00Z",
    ]);
  });

  it("refuses unknown, repeated and missing columns at the header line, and sites the facility does not have", () => {
    expect(
      problems(["time,site,temp,carbonIntensityGPerKWh,carbonIntensityGPerKWh,spotPriceEurPerMWh"]),
    ).toEqual([
      "signals.csv: temp: is not a known column (known: time, site, outdoorTemperatureC, carbonIntensityGPerKWh, spotPriceEurPerMWh) (line 1)",
      "signals.csv: carbonIntensityGPerKWh: is repeated (line 1)",
      "signals.csv: outdoorTemperatureC: is a required column and is missing (line 1)",
    ]);
    expect(problems([HEADER, "2026-01-01T00:00:00Z,c,1,1,1"])[0]).toBe(
      "signals.csv: site: unknown site 'c' (known: a, b) (line 2)",
    );
  });
});
