// /v1/simulation-reports: the runs fjord simulate wrote under --simulation-reports, for operators, and
// nothing else from that directory or outside it: no symlink out, no path that climbs, no file fjord
// simulate did not write.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";
import { fjordInProcess as fjord } from "../../../test/support/cli.ts";
import { SimulationReports } from "../simulation-reports.ts";

const RUNS = Math.max(100, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 10);
/** Every byte %-escaped: a lone surrogate goes as the bytes of U+FFFD, as a browser sends it. */
const escaped = (text: string) =>
  [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

let api: TestApi;
let unconfigured: TestApi;
let reportHtml: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "fjord-simulation-reports-"));
  const outside = mkdtempSync(join(tmpdir(), "fjord-outside-"));
  const run = await fjord(
    "simulate",
    "--facility",
    "facilities/small-two-sites.yaml",
    "--policy",
    "policies/default.yaml",
    "--workload",
    "test/fixtures/workloads/fjord-jobs.jsonl",
    "--out",
    join(outside, "real"),
    "--no-progress",
  );
  expect(run.code).toBe(0);
  reportHtml = readFileSync(join(outside, "real", "report.html"), "utf8");
  cpSync(join(outside, "real"), join(dir, "week-default"), { recursive: true });
  // A run's directory linked in from outside, and a run whose report is a link to a file outside.
  symlinkSync(join(outside, "real"), join(dir, "linked-run"));
  mkdirSync(join(dir, "linked-report"));
  cpSync(join(outside, "real", "results.json"), join(dir, "linked-report", "results.json"));
  writeFileSync(join(outside, "secret.html"), "<!doctype html><p>not for the API</p>");
  symlinkSync(join(outside, "secret.html"), join(dir, "linked-report", "report.html"));
  // A page fjord simulate did not write, beside real results.
  mkdirSync(join(dir, "forged"));
  cpSync(join(outside, "real", "results.json"), join(dir, "forged", "results.json"));
  writeFileSync(join(dir, "forged", "report.html"), "<!doctype html><script>alert(1)</script>");
  writeFileSync(join(dir, "notes.txt"), "a file, not a run");
  mkdirSync(join(dir, "has space"));
  api = await startTestApi({ simulationReports: new SimulationReports(dir) });
  unconfigured = await startTestApi();
}, 120_000);
afterAll(async () => {
  await api.close();
  await unconfigured.close();
});

describe("GET /v1/simulation-reports", () => {
  it("lists the runs fjord simulate wrote, and says why every other entry is not one", async () => {
    const res = await api.call("operator", "GET", "/v1/simulation-reports");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.enabled).toBe(true);
    expect(body.runs).toEqual([
      {
        id: "week-default",
        title: "Small two-site test facility: default",
        inputs: {
          facility: "facilities/small-two-sites.yaml",
          policy: "policies/default.yaml",
          workload: "test/fixtures/workloads/fjord-jobs.jsonl",
          seed: 1,
        },
        writtenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        reportBytes: Buffer.byteLength(reportHtml),
        reportUrl: "/v1/simulation-reports/week-default",
      },
    ]);
    expect(body.skipped).toEqual([
      { name: "forged", reason: "its report.html is not one fjord simulate wrote" },
      { name: "has space", reason: expect.stringContaining("its name is not a run id") },
      { name: "linked-report", reason: "its report.html is a symbolic link" },
      { name: "linked-run", reason: "it is a symbolic link; only directories inside are served" },
      { name: "notes.txt", reason: "it is not a directory" },
    ]);
  });

  it("is for operators: a tenant key is refused", async () => {
    for (const key of ["adminA", "memberB"] as const) {
      expect((await api.call(key, "GET", "/v1/simulation-reports")).statusCode).toBe(403);
      expect((await api.call(key, "GET", "/v1/simulation-reports/week-default")).statusCode).toBe(403);
    }
  });

  it("says it is off when the service names no directory", async () => {
    const res = await unconfigured.call("operator", "GET", "/v1/simulation-reports");
    expect(res.json()).toEqual({ enabled: false, runs: [], skipped: [] });
    const report = await unconfigured.call("operator", "GET", "/v1/simulation-reports/week-default");
    expect(report.statusCode).toBe(404);
    expect(report.json().detail).toContain("--simulation-reports");
  });
});

describe("GET /v1/simulation-reports/{id}", () => {
  it("serves the report sandboxed, allowed to run exactly the chart scripts it inlines", async () => {
    const res = await api.call("operator", "GET", "/v1/simulation-reports/week-default");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toBe(reportHtml);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toMatch(/^sandbox allow-scripts; default-src 'none'; /);
    const scripts = [...reportHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash("sha256").update(m[1]!).digest("base64")}'`,
    );
    expect(scripts).toHaveLength(2);
    expect(/script-src ([^;]*)/.exec(csp)?.[1]?.split(" ")).toEqual(scripts);
  });

  it.each([
    ["linked-run", "it is a symbolic link"],
    ["linked-report", "its report.html is a symbolic link"],
    ["forged", "is not one fjord simulate wrote"],
    ["missing", "no such run"],
  ])("refuses %s with 404 and why", async (id, why) => {
    const res = await api.call("operator", "GET", `/v1/simulation-reports/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain(why);
  });

  it.each(["..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", ".hidden", "a%00b", "%E2%80%AE"])(
    "refuses the id %s, naming it, without reaching the disk",
    async (id) => {
      const res = await api.call("operator", "GET", `/v1/simulation-reports/${id}`);
      expect([400, 404]).toContain(res.statusCode);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      if (res.statusCode === 400) expect(res.json().errors[0].field).toBe("id");
    },
  );

  it("answers any other id with a problem, never a page or a failure", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 120 }), async (id) => {
        fc.pre(id !== "week-default");
        const res = await api.call("operator", "GET", `/v1/simulation-reports/${escaped(id)}`);
        expect([400, 404, 414]).toContain(res.statusCode);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: RUNS },
    );
  });
});
