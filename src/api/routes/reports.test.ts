import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  smallJob,
  startTestApi,
  TENANT_A,
  TENANT_B,
  type TestApi,
} from "../../../test/support/api-test-harness.ts";
import type { TenantFootprint } from "../../accounting/footprint-report.ts";
import { eedCsv, footprintCsv } from "../../cli/render/eed-csv.ts";
import type { CoveredEedReport } from "../../report/eed-coverage.ts";

let api: TestApi;
let year: number;
let jobOfA: string;
beforeAll(async () => {
  api = await startTestApi();
  year = new Date(api.controlPlane.nowMs()).getUTCFullYear();
  jobOfA = (await api.call("memberA", "POST", "/v1/jobs", smallJob({ notBefore: null }))).json().id;
  await eventually(
    "A's job to run",
    async () => (await api.call("memberA", "GET", `/v1/jobs/${jobOfA}`)).json().state === "running",
  );
  // Some seconds of running, so the energy figures are not zero.
  await new Promise((resolve) => setTimeout(resolve, 1500));
});
afterAll(() => api.close());

/** A CSV's first three columns: a running job's figures grow between two reads, its rows do not. */
const rowKeys = (csv: string) => csv.split("\n").map((line) => line.split(",").slice(0, 3).join(","));

interface MonthlyRow {
  month: string;
  itKWh: number;
}

describe("GET /v1/reports/eed", () => {
  it("gives the year so far of every reporting site from the stored runs, and records the read", async () => {
    const res = await api.call("operator", "GET", `/v1/reports/eed?year=${year}`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.format).toBe("fjord-eed-report/1");
    expect(report.inputs).toMatchObject({ simulation: "the live service's stored runs", run: "live" });
    // Whole hours up to now: the hour in progress is the last.
    const nowMs = api.controlPlane.nowMs();
    expect(report.period.toMs).toBeGreaterThan(nowMs - 3_600_000);
    expect(report.period.toMs).toBeLessThanOrEqual(nowMs + 3_600_000);
    const noTest = report.dataCentres.find((d: { siteId: string }) => d.siteId === "no-test");
    const itKWh = noTest.monthly.reduce((sum: number, m: MonthlyRow) => sum + m.itKWh, 0);
    expect(itKWh).toBeGreaterThan(0);

    const audit = (await api.call("operator", "GET", "/v1/audit?limit=1000")).json().items;
    expect(audit.at(-1)).toMatchObject({
      action: "report.read",
      objectType: "report",
      objectId: `eed-${year}`,
    });
  });

  it("rests on the hours since the service's first record, not on a year of idle GPUs, and says so", async () => {
    const report = (await api.call("operator", "GET", `/v1/reports/eed?year=${year}`)).json();
    const first = (await api.call("operator", "GET", "/v1/audit?limit=1")).json().items[0];
    const firstHourMs = Math.floor(Date.parse(first.at) / 3_600_000) * 3_600_000;
    const fromMs = Math.max(Date.UTC(year, 0, 1), firstHourMs);
    expect(report.period.fromMs).toBe(fromMs);
    expect(report.coverage).toMatchObject({ fromMs, toMs: report.period.toMs, hours: report.period.hours });
    expect(report.coverage.basis).toMatch(/^the service's stored runs/);
    if (fromMs > Date.UTC(year, 0, 1)) expect(report.coverage.basis).toContain("not counted as idle");
    // Months before the service existed are not in the report at all (they were 0 % busy before).
    const noTest = report.dataCentres.find((d: { siteId: string }) => d.siteId === "no-test");
    expect(noTest.monthly[0].month).toBe(new Date(fromMs).toISOString().slice(0, 7));
  });

  it("lists every site of the facility, reported or not, with the reason", async () => {
    const report = (await api.call("operator", "GET", `/v1/reports/eed?year=${year}`)).json();
    expect(report.coverage.sites).toEqual([
      expect.objectContaining({
        siteId: "no-test",
        reported: true,
        reason: expect.stringMatching(/500 kW/),
        runs: expect.any(Number),
      }),
      expect.objectContaining({
        siteId: "ae-test",
        reported: false,
        reason: expect.stringMatching(/no reporting scheme/),
      }),
    ]);
    const one = (await api.call("operator", "GET", `/v1/reports/eed?year=${year}&site=ae-test`)).json();
    expect(one.coverage.sites.map((s: { reported: boolean }) => s.reported)).toEqual([false, true]);
    expect(one.coverage.sites[0].reason).toBe("not asked for (only ae-test was)");
    expect(one.coverage.sites[1].reason).toMatch(/no runs in the span$/);
  });

  it("names the field of a year that is not one, has not begun, or a site the facility lacks", async () => {
    const field = async (query: string) => {
      const res = await api.call("operator", "GET", `/v1/reports/eed?${query}`);
      return [res.statusCode, res.json().errors?.[0]?.field, res.json().errors?.[0]?.reason];
    };
    expect(await field("year=26")).toEqual([400, "year", "must be a calendar year like 2026"]);
    expect(await field("year=1969")).toEqual([400, "year", "must be 1970 or later"]);
    const [status, name, reason] = await field(`year=${year + 1}`);
    expect([status, name]).toEqual([422, "year"]);
    expect(reason).toMatch(/^has not begun/);
    const [before, beforeField, beforeReason] = await field(`year=${year - 1}`);
    expect([before, beforeField]).toEqual([422, "year"]);
    expect(beforeReason).toMatch(/^is before the service's first record/);
    const site = await field(`year=${year}&site=atlantis`);
    expect(site.slice(0, 2)).toEqual([422, "site"]);
    expect(site[2]).toMatch(/atlantis/);
  });

  it("is for operators only", async () => {
    expect((await api.call("adminA", "GET", `/v1/reports/eed?year=${year}`)).statusCode).toBe(403);
    expect((await api.call("adminA", "GET", `/v1/reports/eed?year=${year}&format=csv`)).statusCode).toBe(403);
  });

  it("comes as the CSV and HTML files fjord report writes, to be saved", async () => {
    const report: CoveredEedReport = (
      await api.call("operator", "GET", `/v1/reports/eed?year=${year}`)
    ).json();
    const csv = await api.call("operator", "GET", `/v1/reports/eed?year=${year}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe(`attachment; filename="eed-report-${year}.csv"`);
    expect(rowKeys(csv.body)).toEqual(rowKeys(eedCsv(report)));
    const page = await api.call("operator", "GET", `/v1/reports/eed?year=${year}&format=html`);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-disposition"]).toBe(`attachment; filename="eed-report-${year}.html"`);
    expect(page.headers["content-security-policy"]).toMatch(/^default-src 'none'/);
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).toContain(`data-centre report ${year}`);
    const other = await api.call("operator", "GET", `/v1/reports/eed?year=${year}&format=pdf`);
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].field).toBe("format");
  });
});

describe("GET /v1/reports/footprint", () => {
  it("gives a tenant its own footprint per job and month", async () => {
    const res = await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}`);
    expect(res.statusCode).toBe(200);
    const footprint = res.json();
    expect(footprint.tenantId).toBe(TENANT_A);
    expect(footprint.jobs.map((j: { jobId: string }) => j.jobId)).toContain(jobOfA);
    expect(footprint.total.gpuHours).toBeGreaterThan(0);
    expect(footprint.total.facilityKWh).toBeGreaterThan(footprint.total.itKWh);
  });

  it("comes as the CSV file fjord report writes, and not as HTML", async () => {
    const footprint: TenantFootprint = (
      await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}`)
    ).json();
    const csv = await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}&format=csv`);
    expect(csv.headers["content-disposition"]).toBe(
      `attachment; filename="footprint-${TENANT_A}-${year}.csv"`,
    );
    expect(rowKeys(csv.body)).toEqual(rowKeys(footprintCsv(footprint)));
    expect(csv.body).toContain(`${jobOfA},national,all,`);
    const html = await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}&format=html`);
    expect(html.statusCode).toBe(400);
    expect(html.json().errors[0].field).toBe("format");
  });

  it("hides other tenants and asks an operator which tenant, recording the operator's read", async () => {
    expect(
      (await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}&tenant=${TENANT_B}`)).statusCode,
    ).toBe(404);
    const missing = await api.call("operator", "GET", `/v1/reports/footprint?year=${year}`);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe("tenant");
    const read = await api.call("operator", "GET", `/v1/reports/footprint?year=${year}&tenant=${TENANT_B}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().jobs).toEqual([]);
    const trail = (await api.call("operator", "GET", `/v1/audit?tenant=${TENANT_B}&limit=1000`)).json().items;
    expect(trail.at(-1)).toMatchObject({ action: "usage.read", details: { report: "footprint", year } });
  });
});
