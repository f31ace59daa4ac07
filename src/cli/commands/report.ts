// `fjord report eed` and `fjord report footprint`: energy, water, heat and carbon accounting for a calendar
// year, of a simulated schedule (a `fjord simulate` results.json) or, with --from-service, of the runs a
// running `fjord serve` has stored (its /v1/reports). `eed` writes the annual data-centre report in the
// structure of Delegated Regulation (EU) 2024/1364 as JSON, CSV and a self-contained HTML page; `footprint`
// writes one tenant's footprint per job and month as JSON and CSV. docs/energy.md has the model.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { accountEnergy, type EnergyAccount } from "../../accounting/account.ts";
import { checkSchedule } from "../../accounting/check-schedule.ts";
import { eedReport, reportSites } from "../../accounting/eed-report.ts";
import { siteEnergy } from "../../accounting/energy-schema.ts";
import { type TenantFootprint, tenantFootprint } from "../../accounting/footprint-report.ts";
import { type Period, yearPeriod } from "../../accounting/period.ts";
import type { Schedule } from "../../accounting/schedule.ts";
import { scheduleFromResults } from "../../accounting/schedule-document.ts";
import type { Signals } from "../../accounting/signals.ts";
import { syntheticSignals } from "../../accounting/synthetic-signals.ts";
import { eedReportSchema, footprintReportSchema } from "../../api/schemas/reports.ts";
import { loadFacilityFile } from "../../facility/load-facility-file.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import type { Facility } from "../../model/types.ts";
import { type CoveredEedReport, runsBySite, withCoverage } from "../../report/eed-coverage.ts";
import { fmtUtc } from "../../report/format.ts";
import { loadSignalsFile } from "../../signals/load-signals-file.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { EXIT_CODES_HELP } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { eedCsv, footprintCsv } from "../render/eed-csv.ts";
import { eedExplain } from "../render/eed-explain.ts";
import { eedHtml } from "../render/eed-html.ts";
import { reportJson } from "../render/eed-json.ts";
import { eedSummary, footprintSummary } from "../render/eed-summary.ts";
import { parseSeed } from "../seed-option.ts";

export interface ReportOptions extends ApiOptions {
  period: string;
  facility?: string;
  simulation?: string;
  fromService?: boolean;
  run?: string;
  signals?: string;
  seed: string;
  out: string;
}

export interface EedOptions extends ReportOptions {
  site?: string;
  explain?: boolean;
}

export interface FootprintOptions extends ReportOptions {
  tenant: string;
}

/** Adds `report` with its `eed` and `footprint` subcommands; returns `report` (for per-command help text). */
export function registerReport(program: Command, io: CliIo): Command {
  const report = program
    .command("report")
    .description("energy, water, heat and carbon accounting of a simulated schedule or the live service");
  withCommonOptions(
    report
      .command("eed")
      .description("the annual EU data-centre report (Delegated Regulation (EU) 2024/1364): JSON, CSV, HTML")
      .option(
        "--site <id>",
        "report this site only (default: every facility-operated site with a reporting scheme)",
      )
      .option("--explain", "print every figure's formula, operands and source")
      .addHelpText("after", EXIT_CODES_HELP),
  ).action(async (_options: unknown, command: Command) => {
    io.out(await runEedReport(command.opts<EedOptions>()));
  });
  withCommonOptions(
    report
      .command("footprint")
      .description("one tenant's energy, water, heat and CO2e per job and per month: JSON, CSV")
      .requiredOption("--tenant <id>", "tenant id")
      .addHelpText("after", EXIT_CODES_HELP),
  ).action(async (_options: unknown, command: Command) => {
    io.out(await runFootprintReport(command.opts<FootprintOptions>()));
  });
  return report;
}

function withCommonOptions(command: Command): Command {
  return withApiOptions(command)
    .requiredOption("--period <year>", "calendar year to report, e.g. 2026 (UTC)")
    .option("--facility <file>", "facility YAML, with the sites' energy blocks (docs/energy.md)")
    .option("--simulation <file>", "results.json written by `fjord simulate`")
    .option(
      "--from-service",
      "report the runs the service at --url has stored (the current year: so far) instead of a simulation",
    )
    .option("--run <label>", "which run of results.json (default: the first)")
    .option("--signals <file>", "hourly signals CSV (default: seeded synthetic series per site)")
    .option("--seed <n>", "seed of the synthetic signals", "1")
    .requiredOption("--out <dir>", "directory to write the report files into (created if missing)");
}

/** Accounts for the chosen sites, writes the three files and returns the summary to print. */
export async function runEedReport(options: EedOptions): Promise<string> {
  const { report, facilityName } =
    reportSource(options) === "service"
      ? await eedFromService(options)
      : eedFromSimulation(options as EedOptions & SimulationSource);
  mkdirSync(options.out, { recursive: true });
  const written = [
    write(options.out, "eed-report.json", reportJson(report)),
    write(options.out, "eed-report.csv", eedCsv(report)),
    write(options.out, "eed-report.html", eedHtml(report, facilityName)),
  ];
  const explain = options.explain === true ? [eedExplain(report)] : [];
  return [eedSummary(report), ...explain, ...written.map((p) => `wrote ${p}`), ""].join("\n");
}

export async function runFootprintReport(options: FootprintOptions): Promise<string> {
  const footprint =
    reportSource(options) === "service"
      ? await footprintFromService(options)
      : footprintFromSimulation(options as FootprintOptions & SimulationSource);
  mkdirSync(options.out, { recursive: true });
  const written = [
    write(options.out, `footprint-${options.tenant}.json`, reportJson(footprint)),
    write(options.out, `footprint-${options.tenant}.csv`, footprintCsv(footprint)),
  ];
  return [footprintSummary(footprint), ...written.map((p) => `wrote ${p}`), ""].join("\n");
}

type SimulationSource = { facility: string; simulation: string };

/** A simulation (--facility and --simulation) or the service (--from-service), never both or neither. */
function reportSource(options: ReportOptions): "simulation" | "service" {
  if (options.fromService === true) {
    const conflicting = (["facility", "simulation", "run", "signals"] as const).filter(
      (o) => options[o] !== undefined,
    );
    if (conflicting.length > 0)
      throw new InputError(
        "command line",
        conflicting.map((o) => issueAt([`--${o}`], "is for a simulation; leave it out with --from-service")),
      );
    return "service";
  }
  const missing = (["facility", "simulation"] as const).filter((o) => options[o] === undefined);
  if (missing.length > 0)
    throw new InputError(
      "command line",
      missing.map((o) => issueAt([`--${o}`], "is required (or report the live service with --from-service)")),
    );
  return "simulation";
}

function eedFromSimulation(options: EedOptions & SimulationSource): {
  report: CoveredEedReport;
  facilityName: string;
} {
  const inputs = loadReportInputs(options);
  const siteIds = eedSites(inputs.facility, options.site);
  const { account, signals } = accountFor(inputs, options, siteIds);
  const report = eedReport(account, inputs.facility, {
    facility: options.facility,
    simulation: options.simulation,
    run: inputs.runLabel,
    scheduleFromMs: inputs.schedule.fromMs,
    scheduleToMs: inputs.schedule.toMs,
    signals: signals.source,
  });
  const { schedule } = inputs;
  // A simulation covers days or weeks of the year: the rest is modelled, as idle GPUs, and the report says so.
  const basis =
    `the simulated schedule ${fmtUtc(schedule.fromMs)} → ${fmtUtc(schedule.toMs)}; ` +
    "outside it the sites' GPUs are counted as idle";
  const runs = runsBySite(
    schedule.jobs.flatMap((j) =>
      j.runs.filter((r) => r.startAtMs < account.period.toMs && r.endAtMs > account.period.fromMs),
    ),
  );
  return {
    report: withCoverage(report, inputs.facility, { basis, runsBySite: runs, askedSite: options.site }),
    facilityName: inputs.facility.name,
  };
}

function footprintFromSimulation(options: FootprintOptions & SimulationSource): TenantFootprint {
  const inputs = loadReportInputs(options);
  const tenants = [...new Set(inputs.schedule.jobs.map((j) => j.tenantId))].sort();
  if (!tenants.includes(options.tenant))
    throw new InputError("--tenant", [
      issueAt(
        [],
        `no job of tenant '${options.tenant}' in the schedule (tenants with jobs: ${tenants.join(", ")})`,
      ),
    ]);
  // A tenant's jobs may run at any site, so every site is accounted for.
  const { account } = accountFor(
    inputs,
    options,
    inputs.facility.sites.map((s) => s.id),
  );
  return tenantFootprint(account, options.tenant);
}

/** The service's report for the year (its facility's name is the report's `inputs.facility`). */
async function eedFromService(
  options: EedOptions,
): Promise<{ report: CoveredEedReport; facilityName: string }> {
  parseYear(options.period);
  const answer = await apiClient(options).get("reports/eed", eedReportSchema, {
    year: options.period,
    site: options.site,
  });
  const report = answer.json as CoveredEedReport;
  return { report, facilityName: report.inputs.facility };
}

async function footprintFromService(options: FootprintOptions): Promise<TenantFootprint> {
  parseYear(options.period);
  const answer = await apiClient(options).get("reports/footprint", footprintReportSchema, {
    year: options.period,
    tenant: options.tenant,
  });
  return answer.json as TenantFootprint;
}

interface ReportInputs {
  period: Period;
  seed: number;
  facility: Facility;
  schedule: Schedule;
  runLabel: string;
}

function loadReportInputs(options: ReportOptions & SimulationSource): ReportInputs {
  const period = parseYear(options.period);
  const seed = parseSeed(options.seed);
  const facility = loadFacilityFile(options.facility);
  const { label, index, schedule } = scheduleFromResults(
    readJson(options.simulation),
    options.simulation,
    options.run,
  );
  const issues = checkSchedule(schedule, facility, ["runs", index, "schedule"]);
  if (issues.length > 0) throw new InputError(options.simulation, issues);
  return { period, seed, facility, schedule, runLabel: label };
}

/** The signals file's series for the sites, or the seeded synthetic ones with each site's shapes. */
function accountFor(
  inputs: ReportInputs,
  options: ReportOptions,
  siteIds: readonly string[],
): { account: EnergyAccount; signals: Signals } {
  const { facility, period, seed } = inputs;
  const signals: Signals =
    options.signals === undefined
      ? {
          source: `synthetic (seed ${seed}; each site's shapes from the facility file, docs/energy.md)`,
          bySite: new Map(
            siteIds.map((id) => {
              const site = facility.sites.find((s) => s.id === id)!;
              return [id, syntheticSignals(siteEnergy(site).syntheticSignals, period, seed, id)];
            }),
          ),
        }
      : loadSignalsFile(options.signals, { period, siteIds, knownSiteIds: facility.sites.map((s) => s.id) });
  const account = accountEnergy({ facility, schedule: inputs.schedule, signals, period, siteIds });
  return { account, signals };
}

function eedSites(facility: Facility, site: string | undefined): string[] {
  const sites = reportSites(facility, site);
  if (!sites.ok)
    throw new InputError("--site", [
      issueAt([], site === undefined ? `${sites.reason} with --site` : sites.reason),
    ]);
  return sites.siteIds;
}

function parseYear(text: string): Period {
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 1970)
    throw new InputError("--period", [issueAt([], `must be a calendar year like 2026 (got "${text}")`)]);
  return yearPeriod(year);
}

function readJson(path: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(path, [issueAt([], `is not valid JSON: ${(err as Error).message}`)]);
  }
}

function write(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
