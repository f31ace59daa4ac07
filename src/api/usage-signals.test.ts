import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { siteEnergy } from "../accounting/energy-schema.ts";
import { yearPeriod } from "../accounting/period.ts";
import { periodOffset, type SiteSignals } from "../accounting/signals.ts";
import { syntheticSignals } from "../accounting/synthetic-signals.ts";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import { InputError } from "../model/input-error.ts";
import { fileEnergyContext, syntheticEnergyContext } from "./usage-signals.ts";

const H = 3_600_000;
const FACILITY = loadFacilityFile("facilities/small-two-sites.yaml");
const dir = mkdtempSync(join(tmpdir(), "fjord-usage-signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The site's temperature at `atMs` in a series, or undefined when the series does not have that hour. */
function temperatureAt(series: SiteSignals, atMs: number): number | undefined {
  const offset = periodOffset(series, { fromMs: atMs, toMs: atMs + H });
  return offset === null ? undefined : series.outdoorTemperatureC[offset];
}

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("synthetic signals for usage", () => {
  it("give every hour the values `fjord report` generates for its calendar year, whatever the period asked", () => {
    const context = syntheticEnergyContext(FACILITY, 7);
    const newYear = Date.parse("2027-01-01T00:00:00Z");
    const reading = context.signalsFor({ fromMs: newYear - 4 * H, toMs: newYear + 4 * H });
    if (!reading.ok) throw new Error(reading.problem);
    const model = siteEnergy(FACILITY.sites.find((s) => s.id === "no-test")!).syntheticSignals;
    const year2026 = syntheticSignals(model, yearPeriod(2026), 7, "no-test");
    const year2027 = syntheticSignals(model, yearPeriod(2027), 7, "no-test");
    const series = reading.signals.bySite.get("no-test")!;
    expect(temperatureAt(series, newYear - H)).toBe(temperatureAt(year2026, newYear - H));
    expect(temperatureAt(series, newYear + 3 * H)).toBe(temperatureAt(year2027, newYear + 3 * H));
    expect([...reading.signals.bySite.keys()]).toEqual(["no-test", "ae-test"]);
  });
});

describe("a signals file for usage", () => {
  const header = "time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh\n";
  const hours = (from: string, count: number, temperatureC = 4) =>
    Array.from(
      { length: count },
      (_, h) => `${new Date(Date.parse(from) + h * H).toISOString()},${temperatureC + h},20,40\n`,
    ).join("");

  it("serves any whole hours inside the file's span, and says which span it has for others", () => {
    const path = csv("two-days.csv", header + hours("2026-03-01T00:00:00Z", 48));
    const context = fileEnergyContext(path, FACILITY);
    expect(context.signalsSource).toBe("signals file two-days.csv (2026-03-01T00:00Z to 2026-03-03T00:00Z)");
    const inside = context.signalsFor({
      fromMs: Date.parse("2026-03-01T10:00:00Z"),
      toMs: Date.parse("2026-03-02T10:00:00Z"),
    });
    if (!inside.ok) throw new Error(inside.problem);
    expect(temperatureAt(inside.signals.bySite.get("ae-test")!, Date.parse("2026-03-01T10:00:00Z"))).toBe(14);
    expect(
      context.signalsFor({
        fromMs: Date.parse("2026-03-02T10:00:00Z"),
        toMs: Date.parse("2026-03-03T01:00:00Z"),
      }),
    ).toEqual({ ok: false, problem: "the hourly signals cover 2026-03-01T00:00Z to 2026-03-03T00:00Z only" });
  });

  it("is refused at start when it lacks an hour inside its span, naming the hour", () => {
    const path = csv("gap.csv", header + hours("2026-03-01T00:00:00Z", 2) + hours("2026-03-01T03:00:00Z", 2));
    expect(() => fileEnergyContext(path, FACILITY)).toThrow(InputError);
    expect(() => fileEnergyContext(path, FACILITY)).toThrow(/lacks 1 hours of the period: 2026-03-01T02:00Z/);
  });

  it("is refused at start when a value is wrong, naming the column and line", () => {
    const path = csv("cold.csv", `${header}2026-03-01T00:00:00Z,cold,20,40\n`);
    expect(() => fileEnergyContext(path, FACILITY)).toThrow(/outdoorTemperatureC: .*"cold" \(line 2\)/);
  });

  it("is refused at start when it gives no hours", () => {
    expect(() => fileEnergyContext(csv("empty.csv", header), FACILITY)).toThrow(/empty\.csv: gives no hours/);
  });
});
