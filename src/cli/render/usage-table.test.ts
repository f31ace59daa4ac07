import { describe, expect, it } from "vitest";
import { usageTable } from "./usage-table.ts";

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
        "┌─────────────┬───────────┬───────────┐",
        "│ Tenant      │ GPU-hours │ energyKWh │",
        "├─────────────┼───────────┼───────────┤",
        "│ aurora-labs │  1,234.50 │    980.25 │",
        "│ sisu-ai     │      0.00 │      0.00 │",
        "│ all         │  1,234.50 │           │",
        "└─────────────┴───────────┴───────────┘",
        "",
      ].join("\n"),
    );
  });

  it("says so when the period has no tenants", () => {
    expect(usageTable({ from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", tenants: [] })).toBe(
      "Usage 2026-11-01T00:00Z → 2026-12-01T00:00Z: no tenants\n",
    );
  });
});
