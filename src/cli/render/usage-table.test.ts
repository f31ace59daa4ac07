import { describe, expect, it } from "vitest";
import { heading, usageTable } from "./usage-table.ts";

describe("usageTable", () => {
  it("shows GPU-hours per tenant with a total, and any further figure the service returns as a column", () => {
    const text = usageTable({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
      tenants: [
        { tenant: "aurora-labs", gpuHours: 1234.5, energyKWh: 980.25 },
        { tenant: "sisu-ai", gpuHours: 0.004, energyKWh: 0 },
      ],
    });
    expect(text).toBe(
      [
        "Usage 2026-11-01T00:00Z → 2026-12-01T00:00Z",
        "┌─────────────┬───────────┬────────────┐",
        "│ Tenant      │ GPU-hours │ Energy kWh │",
        "├─────────────┼───────────┼────────────┤",
        "│ aurora-labs │  1,234.50 │     980.25 │",
        "│ sisu-ai     │      0.00 │       0.00 │",
        "│ all         │  1,234.50 │            │",
        "└─────────────┴───────────┴────────────┘",
        "",
      ].join("\n"),
    );
  });

  it("heads the figures /v1/usage documents in words with their units, never with field names", () => {
    const text = usageTable({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
      tenants: [
        {
          tenant: "aurora-labs",
          gpuHours: 1,
          itEnergyKWh: 1,
          facilityEnergyKWh: 1,
          waterL: 1,
          heatReusedKWh: 1,
          co2eKgLocationBased: 1,
          co2eKgMarketBased: 1,
        },
      ],
    });
    const head = text.split("\n")[2]!;
    expect(head.split("│").map((h) => h.trim())).toEqual([
      "",
      "Tenant",
      "GPU-hours",
      "IT energy kWh",
      "Facility energy kWh",
      "Water L",
      "Heat reused kWh",
      "CO2e kg (location)",
      "CO2e kg (market)",
      "",
    ]);
  });

  it.each([
    ["coolingEnergyKWh", "Cooling energy kWh"],
    ["peakPowerW", "Peak power W"],
    ["waitMs", "Wait ms"],
    ["energyCostEur", "Energy cost EUR"],
    ["share", "Share"],
    ["constructor", "Constructor"],
  ])("spells out a figure it does not know yet: %s → %s", (field, words) => {
    expect(heading(field)).toBe(words);
  });

  it("says so when the period has no tenants", () => {
    expect(usageTable({ from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", tenants: [] })).toBe(
      "Usage 2026-11-01T00:00Z → 2026-12-01T00:00Z: no tenants\n",
    );
  });
});
