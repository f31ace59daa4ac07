// Energy signals for API tests: the same weather and grid every hour at both test sites — 10 °C (free
// cooling), 20 g CO2e/kWh, 50 EUR/MWh — so figures depend only on the runs, and two days of one month
// account alike.
import type { Period } from "../../src/accounting/period.ts";
import type { EnergyContext } from "../../src/api/usage-signals.ts";

const HOUR_MS = 3_600_000;

export const flatSignals: EnergyContext = {
  signalsSource: "flat test signals",
  signalsFor: (period: Period) => {
    const hours = (period.toMs - period.fromMs) / HOUR_MS;
    const fill = (v: number) => new Float64Array(hours).fill(v);
    const series = {
      fromMs: period.fromMs,
      outdoorTemperatureC: fill(10),
      carbonGPerKWh: fill(20),
      priceEurPerMWh: fill(50),
    };
    return {
      ok: true,
      signals: {
        source: "flat",
        bySite: new Map([
          ["no-test", series],
          ["ae-test", series],
        ]),
      },
    };
  },
};
