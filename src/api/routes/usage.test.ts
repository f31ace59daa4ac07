import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, TENANT_A, TENANT_B, type TestApi } from "../../../test/support/api-test-harness.ts";
import { writeFinishedRun } from "../../../test/support/finished-run.ts";
import { flatSignals } from "../../../test/support/flat-signals.ts";

const H = 3_600_000;
const DAY = 24 * H;
const T = Date.parse("2026-01-10T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ energy: flatSignals });
});
afterAll(() => api.close());

/** A finished run at no-test or ae-test, one node each, written straight to the store. */
function ran(
  tenantId: string,
  run: { siteId: string; gpus: number; startAtMs: number; endAtMs: number },
  labels: Record<string, string>,
): Promise<void> {
  const nodeId = run.siteId === "no-test" ? "no-test/hall-a-r001-n01" : "ae-test/hall-b-r001-n01";
  return writeFinishedRun(api.controlPlane.store, tenantId, { ...run, nodeId }, labels);
}

async function usage(key: "operator" | "memberA", query: string) {
  return api.call(key, "GET", `/v1/usage?${query}`);
}

describe("GET /v1/usage: energy, water, heat and emissions", () => {
  beforeAll(async () => {
    // 4 GB300 GPUs at no-test for 00:00–02:00 at utilisation 0.5; B runs in other hours.
    await ran(
      TENANT_A,
      { siteId: "no-test", gpus: 4, startAtMs: T, endAtMs: T + 2 * H },
      { gpuUtilisation: "0.5" },
    );
    await ran(TENANT_B, { siteId: "no-test", gpus: 8, startAtMs: T + 5 * H, endAtMs: T + 9 * H }, {});
    await ran(TENANT_B, { siteId: "ae-test", gpus: 16, startAtMs: T - DAY, endAtMs: T + DAY }, {});
  });

  it("charges a job the energy, water, heat and emissions computed by hand", async () => {
    const res = await usage("operator", `tenant=${TENANT_A}&from=${iso(T)}&to=${iso(T + 3 * H)}`);
    expect(res.statusCode).toBe(200);
    const [a] = res.json().tenants;
    // A GPU slot of a mini-nvl-tray: 1,600 W node overhead / 4 GPUs + 200 W idle; busy at u = 0.5 it adds
    // 0.5 × (1,400 − 200) W. So the job draws 4 × (400 + 200 + 600) W = 4.8 kW: 9.6 kWh in two hours.
    expect(a.gpuHours).toBe(8);
    expect(a.itEnergyKWh).toBeCloseTo(9.6, 9);
    // At 10 °C both cooling paths cool freely: pumps 0.75 × 0.02 + fans 0.25 × 0.06 = 0.03 kWh per kWh of
    // heat; the UPS (0.97) feeds IT, the transformers (0.99) everything.
    const perItKWh = (1 / 0.97 + 0.03) / 0.99;
    expect(a.facilityEnergyKWh).toBeCloseTo(9.6 * perItKWh, 9);
    // Make-up water 0.1 L per kWh of IT; no spraying below 25 °C.
    expect(a.waterL).toBeCloseTo(0.96, 9);
    // Each hour the site's IT is the job's 4.8 kWh + 28 idle slots × 0.6 kW = 21.6 kWh. The fish farm takes
    // 5 kWh of the 0.75 × 21.6 kWh captured (January, 5 kW peak); the job's share is 4.8 / 21.6 of it.
    const share = 4.8 / 21.6;
    expect(a.heatReusedKWh).toBeCloseTo(2 * share * 5, 9);
    // The site draws 21.6 × perItKWh an hour; 2 kWh come from the on-site source, the grid gives the rest
    // at 20 g. Market-based: the PPA covers half the draw, and what neither covers counts at Norway's
    // residual mix of 402 g.
    const siteKWh = 21.6 * perItKWh;
    expect(a.co2eKgLocationBased).toBeCloseTo((2 * share * (siteKWh - 2) * 20) / 1000, 9);
    expect(a.co2eKgMarketBased).toBeCloseTo((2 * share * (siteKWh / 2 - 2) * 402) / 1000, 9);
  });

  it("charges part of an hour at that whole hour's rates", async () => {
    const whole = (await usage("operator", `tenant=${TENANT_A}&from=${iso(T)}&to=${iso(T + 2 * H)}`)).json();
    const half = (
      await usage("operator", `tenant=${TENANT_A}&from=${iso(T + H / 2)}&to=${iso(T + (3 * H) / 2)}`)
    ).json();
    expect(half.tenants[0].gpuHours).toBe(4);
    for (const field of [
      "itEnergyKWh",
      "facilityEnergyKWh",
      "waterL",
      "heatReusedKWh",
      "co2eKgLocationBased",
    ])
      expect(half.tenants[0][field], field).toBeCloseTo(whole.tenants[0][field] / 2, 9);
  });

  it("charges a tenant only for its own runs, whoever asks", async () => {
    const query = `from=${iso(T)}&to=${iso(T + DAY)}`;
    const byOperator = (await usage("operator", query)).json().tenants;
    const own = (await usage("memberA", query)).json().tenants;
    expect(own).toEqual([byOperator.find((t: { tenant: string }) => t.tenant === TENANT_A)]);
    const b = byOperator.find((t: { tenant: string }) => t.tenant === TENANT_B);
    // B: 8 GPUs × 4 h at no-test and 16 GPUs × 24 h of the day at ae-test.
    expect(b.gpuHours).toBe(8 * 4 + 16 * 24);
  });

  it("refuses a period longer than 366 days, naming from", async () => {
    const res = await usage("operator", `from=${iso(T)}&to=${iso(T + 366 * DAY + 1)}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      {
        field: "from",
        reason: `must be at most 366 days before to (${iso(T + 366 * DAY + 1)}); ask for a longer period in parts`,
      },
    ]);
    expect((await usage("operator", `from=${iso(T)}&to=${iso(T + 366 * DAY)}`)).statusCode).toBe(200);
  });

  it("refuses a period before 1970, naming from", async () => {
    const res = await usage("operator", "from=1969-12-31T00:00:00Z&to=1970-01-02T00:00:00Z");
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe("from");
  });

  it("refuses a period the hourly signals do not cover, naming from", async () => {
    const uncovered = await startTestApi({
      energy: {
        signalsSource: "none",
        signalsFor: () => ({
          ok: false,
          problem: "the hourly signals cover 2027-01-01T00:00Z to 2028-01-01T00:00Z only",
        }),
      },
    });
    try {
      const res = await uncovered.call("operator", "GET", `/v1/usage?from=${iso(T)}&to=${iso(T + H)}`);
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([
        {
          field: "from",
          reason:
            "the period needs hourly signals: the hourly signals cover 2027-01-01T00:00Z to 2028-01-01T00:00Z only",
        },
      ]);
    } finally {
      await uncovered.close();
    }
  });

  it("says how the figures are made and which signals they rest on", async () => {
    const body = (await usage("memberA", `from=${iso(T)}&to=${iso(T + H)}`)).json();
    expect(body.method).toMatch(/docs\/energy\.md/);
    expect(body.method).toMatch(/Idle capacity is charged to no tenant/);
    expect(body.method).toMatch(/flat test signals/);
  });
});
