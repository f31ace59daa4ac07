// `fjord report eed|footprint --from-service`: the same files as from a simulation, made by a running
// service from its stored runs, and the source options refused in the wrong combinations.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/api-test-harness.ts";
import { fjordInProcess as fjord, startTestService, type TestService } from "../../test/support/cli.ts";
import { EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK } from "./exit-codes.ts";

let service: TestService;
let out: string;
let year: string;

beforeAll(async () => {
  service = await startTestService();
  out = mkdtempSync(join(tmpdir(), "fjord-report-service-"));
  const submit = await fjord(
    ...["submit", "--tenant", "aurora-labs", "--gpus", "4", "--runtime", "1000h", "--json"],
    ...["--url", service.url, "--api-key", service.operatorKey],
  );
  const id = JSON.parse(submit.stdout).id as string;
  await eventually("the job to start", async () => {
    const status = await fjord(
      "status",
      id,
      "--json",
      "--url",
      service.url,
      "--api-key",
      service.operatorKey,
    );
    return JSON.parse(status.stdout).state === "running";
  });
  // At an hour a second, two seconds give the report two hours of running.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  year = String(new Date().getUTCFullYear());
});
afterAll(async () => {
  await service.stop();
  rmSync(out, { recursive: true, force: true });
});

const fromService = (key: string, ...args: string[]) =>
  fjord("report", ...args, "--period", year, "--from-service", "--url", service.url, "--api-key", key);

describe("fjord report --from-service", () => {
  it("writes the data-centre report of the service's stored runs as JSON, CSV and HTML", async () => {
    const run = await fromService(service.operatorKey, "eed", "--out", join(out, "eed"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain(`wrote ${join(out, "eed", "eed-report.json")}`);
    const report = JSON.parse(readFileSync(join(out, "eed", "eed-report.json"), "utf8"));
    expect(report.inputs).toMatchObject({ simulation: "the live service's stored runs", run: "live" });
    const itKWh = report.dataCentres[0].monthly.reduce(
      (sum: number, m: { itKWh: number }) => sum + m.itKWh,
      0,
    );
    expect(itKWh).toBeGreaterThan(0);
    expect(readFileSync(join(out, "eed", "eed-report.html"), "utf8")).toContain("<html");
    expect(readFileSync(join(out, "eed", "eed-report.csv"), "utf8").split("\n").length).toBeGreaterThan(10);
  });

  it("rests on the hours the service has recorded and names the sites in and out, in every format", async () => {
    const run = await fromService(service.operatorKey, "eed", "--out", join(out, "cover"));
    expect(run.code).toBe(EXIT_OK);
    const report = JSON.parse(readFileSync(join(out, "cover", "eed-report.json"), "utf8"));
    // The service started moments ago: the hours of the year before its first record are not reported.
    expect(report.period.fromMs).toBeGreaterThan(Date.UTC(Number(year), 0, 1));
    expect(report.coverage.basis).toMatch(/^the service's stored runs from its first record \(/);
    expect(run.stdout).toMatch(
      /Figures rest on \S+ → \S+ \([\d,]+ h\): the service's stored runs from its first record/,
    );
    expect(run.stdout).toContain("not counted as idle");
    expect(run.stdout).toMatch(/Sites reported:\n {2}no-test: /);
    expect(run.stdout).toMatch(/Sites left out:\n {2}ae-test: no reporting scheme applies/);
    const csv = readFileSync(join(out, "cover", "eed-report.csv"), "utf8");
    expect(csv).toMatch(
      /\n,coverage,from,,Figures rest on hours from,UTC,[^,]+,,"?the service's stored runs/,
    );
    expect(csv).toMatch(/\nae-test,coverage,reported,.*,no,,no reporting scheme/);
    const html = readFileSync(join(out, "cover", "eed-report.html"), "utf8");
    expect(html).toContain("<dt>Figures rest on</dt>");
    expect(html).toContain("not counted as idle");
  });

  it("writes a tenant's footprint with its own key, and another tenant's is not found", async () => {
    const key = service.tenantKey("aurora-labs");
    const own = await fromService(key, "footprint", "--tenant", "aurora-labs", "--out", join(out, "fp"));
    expect(own.code).toBe(EXIT_OK);
    const footprint = JSON.parse(readFileSync(join(out, "fp", "footprint-aurora-labs.json"), "utf8"));
    expect(footprint.total.gpuHours).toBeGreaterThan(0);
    const other = await fromService(key, "footprint", "--tenant", "sisu-ai", "--out", join(out, "fp"));
    expect(other.code).toBe(EXIT_NOT_FOUND);
  });

  it("refuses simulation options with --from-service, and neither source", async () => {
    const both = await fromService(service.operatorKey, "eed", "--simulation", "x.json", "--out", out);
    expect(both.code).toBe(EXIT_BAD_INPUT);
    expect(both.stderr).toContain("--simulation: is for a simulation; leave it out with --from-service");
    const neither = await fjord("report", "eed", "--period", year, "--out", out);
    expect(neither.code).toBe(EXIT_BAD_INPUT);
    expect(neither.stderr).toContain(
      "--facility: is required (or report the live service with --from-service)",
    );
    expect(neither.stderr).toContain(
      "--simulation: is required (or report the live service with --from-service)",
    );
  });
});
