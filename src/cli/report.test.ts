// `fjord report eed` and `fjord report footprint` end to end, in-process: a small facility simulated with
// `fjord simulate`, then reported on with synthetic and with measured (flat) signals; figures checked by hand,
// files byte-identical for the same inputs, and bad input refused with exit code 2 and a message naming it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fjordInProcess as fjord } from "../../test/support/cli.ts";

const FACILITY = "facilities/small-two-sites.yaml";
const HOURS_2026 = 8760;

interface Figure {
  key: string;
  value: number | string | null;
  formula: string;
  operands: Record<string, number | string | null>;
}
interface EedDocument {
  inputs: { run: string; signals: string };
  dataCentres: {
    siteId: string;
    scheme: string;
    inScope: boolean;
    sections: { id: string; figures: Figure[] }[];
    monthly: { month: string }[];
  }[];
}

const dir = () => mkdtempSync(join(tmpdir(), "fjord-report-"));
let work: string;
let results: string;

/** Three jobs on the 32-GPU Norwegian test site: a research gang, an inference job and one with its own utilisation. */
const JOBS = [
  "id,tenant,gpus,gpuModel,estimatedRuntime,runtime,submittedAt,labels.class,labels.gpuUtilisation",
  "train-1,aurora-labs,16,GB300,10h,10h,2026-03-01T00:00:00Z,research,",
  "infer-1,sisu-ai,8,GB300,48h,48h,2026-03-01T00:00:00Z,inference,",
  "tuned-1,aurora-labs,4,GB300,5h,5h,2026-03-02T00:00:00Z,,0.95",
].join("\n");

/** A whole year of flat signals for every site: 5 °C, 20 g CO2e/kWh, 40 EUR/MWh. */
function flatSignals(): string {
  const rows = ["time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh"];
  const from = Date.parse("2026-01-01T00:00:00Z");
  for (let h = 0; h < HOURS_2026; h++) rows.push(`${new Date(from + h * 3_600_000).toISOString()},5,20,40`);
  return `${rows.join("\n")}\n`;
}

const figureOf = (doc: EedDocument, section: string, key: string) =>
  doc.dataCentres[0]!.sections.find((s) => s.id === section)!.figures.find((f) => f.key === key)!;
const numberOf = (doc: EedDocument, section: string, key: string) =>
  figureOf(doc, section, key).value as number;

function eed(out: string, ...extra: string[]) {
  return fjord(
    "report",
    "eed",
    "--period",
    "2026",
    "--facility",
    FACILITY,
    "--simulation",
    results,
    "--out",
    out,
    ...extra,
  );
}

beforeAll(async () => {
  work = dir();
  writeFileSync(join(work, "jobs.csv"), `${JOBS}\n`);
  writeFileSync(join(work, "signals.csv"), flatSignals());
  const sim = await fjord(
    "simulate",
    "--facility",
    FACILITY,
    "--policy",
    "policies/default.yaml",
    "--workload",
    join(work, "jobs.csv"),
    "--from",
    "2026-03-01T00:00:00Z",
    "--out",
    work,
    "--no-progress",
  );
  expect(sim.code).toBe(0);
  results = join(work, "results.json");
});

describe("fjord report eed", () => {
  it("reports each facility-operated site under a scheme in the regulation's structure, with hand-checkable figures", async () => {
    const out = dir();
    const run = await eed(out, "--signals", join(work, "signals.csv"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "eed-report.json"), "utf8")) as EedDocument;
    // ae-test lies outside the EU and Norway: no scheme, so only the Norwegian site is reported.
    expect(doc.dataCentres.map((d) => [d.siteId, d.scheme, d.inScope])).toEqual([
      ["no-test", "no-nkom", false],
    ]);
    expect(doc.dataCentres[0]!.sections.map((s) => s.id)).toEqual([
      "annex-i",
      "annex-ii",
      "annex-iii",
      "fjord",
      "nkom",
    ]);
    // IT: 32 slots × 600 W all year, plus per busy GPU-hour u × 1,200 W: train 160 × 0.8, infer 384 × 0.6, tuned 20 × 0.95.
    const eit = (32 * 600 * HOURS_2026 + 1200 * (160 * 0.8 + 384 * 0.6 + 20 * 0.95)) / 1000;
    expect(numberOf(doc, "annex-ii", "EIT")).toBeCloseTo(eit, 0);
    // At 5 °C everything is free-cooled: 0.75 × 0.02 + 0.25 × 0.06 = 0.03 kWh per IT kWh; PUE = (1/0.97 + 0.03)/0.99.
    expect(numberOf(doc, "annex-iii", "PUE")).toBeCloseTo((1 / 0.97 + 0.03) / 0.99, 5);
    expect(numberOf(doc, "annex-iii", "WUE")).toBeCloseTo(0.1, 6);
    // REF: half the energy from the PPA plus 2 kW on-site around the clock.
    const edc = numberOf(doc, "annex-ii", "EDC");
    expect(numberOf(doc, "annex-ii", "ERES-OS")).toBeCloseTo(2 * HOURS_2026, 0);
    expect(numberOf(doc, "annex-iii", "REF")).toBeCloseTo(0.5 + (2 * HOURS_2026) / edc, 4);
    // Location-based: grid energy (all but on-site) at 20 g; market-based: uncovered energy at Norway's residual mix.
    expect(numberOf(doc, "fjord", "co2eLocation")).toBeCloseTo(((edc - 2 * HOURS_2026) * 20) / 1000, -1);
    expect(numberOf(doc, "fjord", "co2eMarket")).toBeCloseTo(((edc * 0.5 - 2 * HOURS_2026) * 402) / 1000, -2);
    expect(numberOf(doc, "annex-iii", "ERF")).toBeGreaterThan(0);
    expect(figureOf(doc, "annex-i", "owner").value).toBe("Fjord Test Owner AS");
    expect(figureOf(doc, "annex-iii", "PUE").operands).toEqual({
      EDC_kWh: edc,
      EIT_kWh: numberOf(doc, "annex-ii", "EIT"),
    });
    expect(doc.dataCentres[0]!.monthly).toHaveLength(12);
    expect(doc.inputs).toMatchObject({ run: "default", signals: join(work, "signals.csv") });

    const csv = readFileSync(join(out, "eed-report.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("siteId,section,key,symbol,label,unit,value,formula,source");
    expect(csv.find((l) => l.startsWith("no-test,annex-iii,PUE,"))).toMatch(
      /^no-test,annex-iii,PUE,PUE,Power usage effectiveness,,1\.07\d*,EDC \/ EIT,/,
    );
    const html = readFileSync(join(out, "eed-report.html"), "utf8");
    expect(html).toContain("Annex III — data centre sustainability indicators");
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(run.stdout).toContain(`wrote ${join(out, "eed-report.html")}`);
  });

  it("says in every format that the year outside the simulated schedule counts as idle, and which sites are in and out", async () => {
    const out = dir();
    const run = await eed(out);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Figures rest on 2026-01-01T00:00Z → 2027-01-01T00:00Z (8,760 h): the simulated schedule 2026-03-01T00:00Z → ",
    );
    expect(run.stdout).toContain("outside it the sites' GPUs are counted as idle");
    expect(run.stdout).toMatch(/Sites reported:\n {2}no-test: below 500 kW: reporting is voluntary\n/);
    expect(run.stdout).toMatch(/Sites left out:\n {2}ae-test: no reporting scheme applies/);
    const doc = JSON.parse(readFileSync(join(out, "eed-report.json"), "utf8"));
    expect(doc.coverage).toMatchObject({ fromMs: Date.UTC(2026, 0, 1), hours: HOURS_2026 });
    expect(doc.coverage.sites).toEqual([
      { siteId: "no-test", name: "Test site, Norway", reported: true, reason: expect.any(String), runs: 3 },
      {
        siteId: "ae-test",
        name: "Test site, Abu Dhabi",
        reported: false,
        reason: expect.any(String),
        runs: 0,
      },
    ]);
    const csv = readFileSync(join(out, "eed-report.csv"), "utf8");
    expect(csv).toContain(
      ",coverage,from,,Figures rest on hours from,UTC,2026-01-01T00:00Z,,the simulated schedule",
    );
    expect(csv).toContain(
      '\nae-test,coverage,reported,,"Test site, Abu Dhabi",,no,,no reporting scheme applies',
    );
    const html = readFileSync(join(out, "eed-report.html"), "utf8");
    expect(html).toContain("<dt>Figures rest on</dt><dd>2026-01-01T00:00Z → 2027-01-01T00:00Z (8,760 h)");
    expect(html).toMatch(/<th scope="row">ae-test<\/th><td>Test site, Abu Dhabi<\/td><td>left out<\/td>/);
  });

  it("explains every figure with its formula, operands and source on request", async () => {
    const run = await eed(dir(), "--explain");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /PUE \(Power usage effectiveness\) = 1\.0\d+\n {6}formula: EDC \/ EIT\n {6}operands: EDC_kWh = [\d.]+, EIT_kWh = [\d.]+\n {6}source: Delegated Regulation \(EU\) 2024\/1364, Annex III; ISO\/IEC 30134-2/,
    );
    expect(run.stdout).toContain("ERES-TOT (Renewable energy consumption) = ");
  });

  it("writes byte-identical files for the same inputs and seed, and other figures for another seed", async () => {
    const [a, b, c] = [dir(), dir(), dir()];
    for (const [out, seed] of [
      [a, "7"],
      [b, "7"],
      [c, "8"],
    ] as const)
      expect((await eed(out, "--seed", seed)).code).toBe(0);
    for (const name of ["eed-report.json", "eed-report.csv", "eed-report.html"])
      expect(readFileSync(join(b, name), "utf8")).toBe(readFileSync(join(a, name), "utf8"));
    expect(readFileSync(join(c, "eed-report.json"), "utf8")).not.toBe(
      readFileSync(join(a, "eed-report.json"), "utf8"),
    );
  });

  it("reports a site without a scheme when named, and refuses a site the facility does not have", async () => {
    const named = await eed(dir(), "--site", "ae-test");
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/ae-test .* none /);
    const unknown = await eed(dir(), "--site", "nowhere");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("--site: unknown site 'nowhere' (known: no-test, ae-test)\n");
  });
});

describe("fjord report footprint", () => {
  it("gives a tenant's jobs their energy, water and emissions per job and month", async () => {
    const out = dir();
    const run = await fjord(
      "report",
      "footprint",
      "--tenant",
      "aurora-labs",
      "--period",
      "2026",
      "--facility",
      FACILITY,
      "--simulation",
      results,
      "--signals",
      join(work, "signals.csv"),
      "--out",
      out,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, "footprint-aurora-labs.json"), "utf8")) as {
      jobs: {
        jobId: string;
        utilisationRule: string;
        total: { itKWh: number; gpuHours: number; facilityKWh: number };
      }[];
      months: { month: string }[];
    };
    expect(doc.jobs.map((j) => [j.jobId, j.utilisationRule])).toEqual([
      ["train-1", "kind research"],
      ["tuned-1", "label gpuUtilisation"],
    ]);
    // 16 GPUs × 10 h × (400 + 200 + 0.8 × 1,200) W.
    expect(doc.jobs[0]!.total.itKWh).toBeCloseTo(249.6, 6);
    expect(doc.jobs[0]!.total.facilityKWh / doc.jobs[0]!.total.itKWh).toBeCloseTo(
      (1 / 0.97 + 0.03) / 0.99,
      5,
    );
    expect(doc.months.map((m) => m.month)).toEqual(["2026-03"]);
    const csv = readFileSync(join(out, "footprint-aurora-labs.csv"), "utf8").split("\n");
    expect(csv[0]).toBe(
      "jobId,tierId,month,gpuHours,itKWh,facilityKWh,waterL,heatReusedKWh,renewableKWh,co2eLocationKg,co2eMarketKg,energyCostEur",
    );
    const train = csv.filter((l) => l.startsWith("train-1,")).map((l) => l.split(",").slice(0, 5));
    expect(train).toEqual([
      ["train-1", "national", "2026-03", "160", "249.6"],
      ["train-1", "national", "all", "160", "249.6"],
    ]);
  });
});

describe("fjord report: bad input", () => {
  it("documents its options and the exit codes in each subcommand's --help", async () => {
    for (const sub of ["eed", "footprint"]) {
      const help = await fjord("report", sub, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--simulation <file>");
      expect(help.stdout).toContain("Exit codes:");
    }
  });

  it.each([
    [["--period", "last year"], '--period: must be a calendar year like 2026 (got "last year")'],
    [["--seed", "-3"], "--seed: must be a whole number"],
    [["--run", "fifo-easy"], "runs: has no run labelled 'fifo-easy' (runs: default)"],
    [["--simulation", "no-such-results.json"], "no-such-results.json: cannot read: no such file"],
  ])("refuses %j with exit code 2 and a message naming it", async (extra, message) => {
    const options: Record<string, string> = {
      "--period": "2026",
      "--facility": FACILITY,
      "--simulation": results,
      "--out": dir(),
    };
    for (let k = 0; k < extra.length; k += 2) options[extra[k]!] = extra[k + 1]!;
    const run = await fjord("report", "eed", ...Object.entries(options).flat());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("refuses a results.json written without a schedule, and a tenant with no job in it", async () => {
    const bare = join(dir(), "results.json");
    writeFileSync(bare, JSON.stringify({ runs: [{ label: "default", metrics: {} }] }));
    const noSchedule = await fjord(
      "report",
      "eed",
      "--period",
      "2026",
      "--facility",
      FACILITY,
      "--simulation",
      bare,
      "--out",
      dir(),
    );
    expect(noSchedule.code).toBe(2);
    expect(noSchedule.stderr).toContain(`${bare}: runs[0].schedule: is missing`);
    const tenant = await fjord(
      "report",
      "footprint",
      "--tenant",
      "nobody",
      "--period",
      "2026",
      "--facility",
      FACILITY,
      "--simulation",
      results,
      "--out",
      dir(),
    );
    expect(tenant.code).toBe(2);
    expect(tenant.stderr).toBe(
      "--tenant: no job of tenant 'nobody' in the schedule (tenants with jobs: aurora-labs, sisu-ai)\n",
    );
  });

  it("names the line and column of a bad signals file", async () => {
    const signals = join(dir(), "signals.csv");
    writeFileSync(
      signals,
      "time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh\n2026-01-01T00:00:00Z,cold,20,40\n",
    );
    const run = await eed(dir(), "--signals", signals);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${signals}: outdoorTemperatureC: must be a number from -90 to 70, not "cold" (line 2)\n`,
    );
  });
});
