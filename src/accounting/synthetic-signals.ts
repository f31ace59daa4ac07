// Seeded synthetic hourly signals with a site's seasons, for when no measured series is given. Shapes
// (docs/energy.md): temperature = the monthly mean, interpolated between mid-months, plus a day cycle
// peaking at 15:00 local time, plus weather — an AR(1) process with two-day persistence; carbon intensity =
// the annual mean with a winter peak (mid-January), an evening peak (19:00 local) and ±15 % day-to-day
// noise; price = the annual mean with a winter peak, morning (08:00) and evening (20:00) peaks, and noise.
// Same model, period, seed and site → the same series, on every machine.
import type { SyntheticSignalModel } from "../model/types.ts";
import { hashString } from "../workloads/hash.ts";
import { mulberry32, type Rng } from "../workloads/prng.ts";
import { MS_PER_HOUR, type Period } from "./period.ts";
import type { SiteSignals } from "./signals.ts";

const WEATHER_PERSISTENCE_H = 48;
const CARBON_NOISE = 0.15;
const CARBON_PERSISTENCE_H = 24;
const CARBON_EVENING_SWING = 0.1;
const PRICE_DAY_SWING = 0.2;
const PRICE_NOISE = 0.25;
const PRICE_PERSISTENCE_H = 12;
const MS_PER_YEAR = 365.2425 * 86_400_000;
/** Mid-January, as a fraction of the year: where the winter peaks of carbon and price sit. */
const WINTER_PEAK = 15 / 365;

export function syntheticSignals(
  model: SyntheticSignalModel,
  period: Period,
  seed: number,
  siteId: string,
): SiteSignals {
  const hours = (period.toMs - period.fromMs) / MS_PER_HOUR;
  const rng = mulberry32(hashString(seed, siteId));
  const weather = ar1(rng, model.weatherNoiseC, WEATHER_PERSISTENCE_H);
  const carbonNoise = ar1(rng, CARBON_NOISE, CARBON_PERSISTENCE_H);
  const priceNoise = ar1(rng, PRICE_NOISE, PRICE_PERSISTENCE_H);
  const temperature = new Float64Array(hours);
  const carbon = new Float64Array(hours);
  const price = new Float64Array(hours);
  // Lognormal noise has mean exp(σ²/2); dividing by it keeps the annual mean where the model puts it.
  const lognormalMean = Math.exp((CARBON_NOISE * CARBON_NOISE) / 2);
  for (let h = 0; h < hours; h++) {
    const atMs = period.fromMs + h * MS_PER_HOUR;
    const d = new Date(atMs);
    const yearFraction = (atMs - Date.UTC(d.getUTCFullYear(), 0, 1)) / MS_PER_YEAR;
    const localHour = (d.getUTCHours() + model.utcOffsetH + 24) % 24;
    const winter = Math.cos(2 * Math.PI * (yearFraction - WINTER_PEAK));
    temperature[h] =
      monthly(model.monthlyMeanTemperatureC, yearFraction) +
      monthly(model.monthlyDiurnalHalfRangeC, yearFraction) * dayCycle(localHour, 15) +
      weather();
    carbon[h] =
      (model.carbonIntensityGPerKWh *
        (1 + model.carbonSeasonalSwing * winter) *
        (1 + CARBON_EVENING_SWING * dayCycle(localHour, 19)) *
        Math.exp(carbonNoise())) /
      lognormalMean;
    price[h] =
      model.spotPriceEurPerMWh *
      ((1 + model.priceSeasonalSwing * winter) *
        (1 + PRICE_DAY_SWING * Math.cos((2 * Math.PI * (localHour - 8)) / 12)) +
        priceNoise());
  }
  return {
    fromMs: period.fromMs,
    outdoorTemperatureC: temperature,
    carbonGPerKWh: carbon,
    priceEurPerMWh: price,
  };
}

/** cos over a day, 1 at `peakHour`. */
function dayCycle(localHour: number, peakHour: number): number {
  return Math.cos((2 * Math.PI * (localHour - peakHour)) / 24);
}

/** The 12 monthly values as a smooth year: linear between mid-months, wrapping December → January. */
function monthly(values: readonly number[], yearFraction: number): number {
  const position = yearFraction * 12 - 0.5;
  const lower = Math.floor(position);
  const t = position - lower;
  const a = values[((lower % 12) + 12) % 12]!;
  const b = values[(((lower + 1) % 12) + 12) % 12]!;
  return a + (b - a) * t;
}

/** A stationary AR(1) process with standard deviation σ and e-folding time τ hours, one value per call. */
function ar1(rng: Rng, sigma: number, tauH: number): () => number {
  const phi = Math.exp(-1 / tauH);
  const innovation = sigma * Math.sqrt(1 - phi * phi);
  let x = sigma * gaussian(rng);
  return () => {
    x = phi * x + innovation * gaussian(rng);
    return x;
  };
}

/** Standard normal by Box–Muller; 1 − next() keeps the logarithm's argument above zero. */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}
