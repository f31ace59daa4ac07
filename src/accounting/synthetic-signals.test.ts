import { describe, expect, it } from "vitest";
import { ABU_DHABI_AE, NARVIK_NO4 } from "./energy-defaults.ts";
import { yearPeriod } from "./period.ts";
import { syntheticSignals } from "./synthetic-signals.ts";

const YEAR = yearPeriod(2026);
const mean = (xs: ArrayLike<number>, from = 0, to = xs.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / (to - from);
};
const JANUARY = [0, 31 * 24] as const;
const JULY = [181 * 24, 212 * 24] as const;

describe("syntheticSignals", () => {
  const narvik = syntheticSignals(NARVIK_NO4, YEAR, 1, "no-kvandal");

  it("covers every hour of the period", () => {
    expect(narvik.fromMs).toBe(YEAR.fromMs);
    expect(narvik.outdoorTemperatureC).toHaveLength(8760);
    expect(narvik.carbonGPerKWh).toHaveLength(8760);
  });

  it("gives the same series for the same seed and site, and another series for another seed or site", () => {
    const again = syntheticSignals(NARVIK_NO4, YEAR, 1, "no-kvandal");
    expect(Array.from(again.outdoorTemperatureC)).toEqual(Array.from(narvik.outdoorTemperatureC));
    expect(Array.from(again.priceEurPerMWh)).toEqual(Array.from(narvik.priceEurPerMWh));
    expect(syntheticSignals(NARVIK_NO4, YEAR, 2, "no-kvandal").outdoorTemperatureC[100]).not.toBe(
      narvik.outdoorTemperatureC[100],
    );
    expect(syntheticSignals(NARVIK_NO4, YEAR, 1, "other").outdoorTemperatureC[100]).not.toBe(
      narvik.outdoorTemperatureC[100],
    );
  });

  it("has Narvik's seasons: a January near −4 °C and a July near 14 °C", () => {
    expect(mean(narvik.outdoorTemperatureC, ...JANUARY)).toBeGreaterThan(-8);
    expect(mean(narvik.outdoorTemperatureC, ...JANUARY)).toBeLessThan(0);
    expect(mean(narvik.outdoorTemperatureC, ...JULY)).toBeGreaterThan(10);
    expect(mean(narvik.outdoorTemperatureC, ...JULY)).toBeLessThan(18);
  });

  it("keeps the annual mean carbon intensity near the model's, higher in winter than in summer", () => {
    expect(mean(narvik.carbonGPerKWh)).toBeGreaterThan(NARVIK_NO4.carbonIntensityGPerKWh * 0.85);
    expect(mean(narvik.carbonGPerKWh)).toBeLessThan(NARVIK_NO4.carbonIntensityGPerKWh * 1.15);
    expect(mean(narvik.carbonGPerKWh, ...JANUARY)).toBeGreaterThan(mean(narvik.carbonGPerKWh, ...JULY));
    expect(Math.min(...narvik.carbonGPerKWh)).toBeGreaterThanOrEqual(0);
  });

  it("puts the afternoon warmer than the night on average", () => {
    const byLocalHour = (h: number) => {
      const xs = narvik.outdoorTemperatureC.filter((_, i) => (i + NARVIK_NO4.utcOffsetH) % 24 === h);
      return mean(xs);
    };
    expect(byLocalHour(15)).toBeGreaterThan(byLocalHour(3) + 2);
  });

  it("makes the Gulf preset hot enough in summer to need chillers and spraying", () => {
    const gulf = syntheticSignals(ABU_DHABI_AE, YEAR, 1, "ae");
    expect(mean(gulf.outdoorTemperatureC, ...JULY)).toBeGreaterThan(30);
  });
});
