// GET /v1/facility/energy on the small two-site facility: every hour's flows balance (energy in = energy
// out, IT heat = reused + rejected), the hour in progress follows the jobs running now, hours before the
// service's first record are left out, and a bad period is refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, smallJob, startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";

interface Hour {
  at: string;
  projected: boolean;
  itKWh: number;
  coolingLiquidKWh: number;
  coolingAirKWh: number;
  upsLossKWh: number;
  transformerLossKWh: number;
  auxiliaryKWh: number;
  facilityKWh: number;
  onSiteKWh: number;
  ppaKWh: number;
  guaranteesKWh: number;
  gridKWh: number;
  heatReusedKWh: number;
  heatRejectedKWh: number;
  offtakerKWh: number[];
  waterL: number;
  baselineWaterL: number;
}
interface Energy {
  at: string;
  from: string;
  to: string;
  sites: {
    siteId: string;
    sources: { id: string; kind: string }[];
    offtakers: { id: string; kind: string }[];
    hours: Hour[];
  }[];
}

const HOUR_MS = 3_600_000;
/** The response rounds to six significant digits. */
const close = (a: number, b: number) =>
  expect(a).toBeCloseTo(b, Math.max(0, 4 - Math.ceil(Math.log10(b + 1))));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const read = async (key: "operator" | "memberA", query = "") =>
  (await api.call(key, "GET", `/v1/facility/energy${query}`)).json() as Energy;

const projectedIt = (energy: Energy, siteId: string) =>
  energy.sites.find((s) => s.siteId === siteId)!.hours.find((h) => h.projected)!.itKWh;

describe("GET /v1/facility/energy", () => {
  it("balances every hour: sources = facility energy = IT + cooling + losses, IT heat = offtakers + rejected", async () => {
    const energy = await read("operator");
    expect(energy.sites.map((s) => s.siteId)).toEqual(["no-test", "ae-test"]);
    const norway = energy.sites[0]!;
    expect(norway.sources).toEqual([
      { id: "test-solar", kind: "on-site" },
      { id: "test-hydro-ppa", kind: "ppa" },
    ]);
    expect(norway.offtakers).toEqual([{ id: "test-fish-farm", kind: "fish-farm" }]);
    for (const site of energy.sites)
      for (const h of site.hours) {
        expect(h.itKWh).toBeGreaterThan(0);
        close(
          h.itKWh +
            h.coolingLiquidKWh +
            h.coolingAirKWh +
            h.upsLossKWh +
            h.transformerLossKWh +
            h.auxiliaryKWh,
          h.facilityKWh,
        );
        close(h.onSiteKWh + h.ppaKWh + h.guaranteesKWh + h.gridKWh, h.facilityKWh);
        close(h.heatReusedKWh + h.heatRejectedKWh, h.itKWh);
        close(
          h.offtakerKWh.reduce((a, b) => a + b, 0),
          h.heatReusedKWh,
        );
        expect(h.waterL).toBeLessThan(h.baselineWaterL);
      }
    // The PPA covers half of every hour and the solar array 2 kW of it: the rest is the grid's.
    const h = norway.hours[0]!;
    close(h.onSiteKWh, 2);
    close(h.ppaKWh, h.facilityKWh / 2);
    expect(norway.offtakers.length).toBe(norway.hours[0]!.offtakerKWh.length);
  });

  it("leaves out the hours before the service's first record and flags the hour in progress as projected", async () => {
    const energy = await read("operator");
    const nowMs = Date.parse(energy.at);
    const hourMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const hours = energy.sites[0]!.hours;
    // A fresh service: its first record is this hour, or the one before if the hour just turned.
    expect(hours.length).toBeGreaterThanOrEqual(1);
    expect(hours.length).toBeLessThanOrEqual(2);
    expect(hours.at(-1)).toMatchObject({ at: new Date(hourMs).toISOString(), projected: true });
    expect(hours.slice(0, -1).every((h) => !h.projected)).toBe(true);
    expect(energy.to).toBe(new Date(hourMs + HOUR_MS).toISOString());
    expect(Date.parse(energy.from)).toBe(Date.parse(hours[0]!.at));
  });

  it("gives no hours for a period that ended before the service's first record", async () => {
    const energy = await read("operator", "?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");
    expect(energy.sites.map((s) => s.hours)).toEqual([[], []]);
    expect(energy.from).toBe(energy.to);
  });

  it("counts a job's GPUs in the hour in progress as soon as it runs", async () => {
    const before = projectedIt(await read("operator"), "no-test");
    const { id } = (
      await api.call("memberA", "POST", "/v1/jobs", smallJob({ notBefore: undefined, residency: ["NO"] }))
    ).json();
    await eventually("the job running", async () => {
      const job = (await api.call("operator", "GET", `/v1/jobs/${id}`)).json();
      return job.state === "running";
    });
    expect(projectedIt(await read("memberA"), "no-test")).toBeGreaterThan(before);
  });

  it.each([
    ["?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from", /must be before to/],
    ["?from=2026-01-01T00:00:00Z&to=2026-01-09T00:00:00Z", "from", /at most 168 h before to/],
    ["?from=yesterday", "from", /./],
    ["?site=no-test", "site", /./],
  ])("refuses %s naming %s", async (query, field, reason) => {
    const res = await api.call("operator", "GET", `/v1/facility/energy${query}`);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const problem = res.json();
    expect(JSON.stringify(problem)).toContain(field);
    expect(problem.detail + JSON.stringify(problem.errors ?? [])).toMatch(reason);
  });
});
