// `fjord report eed` and `fjord report footprint`: energy, water, heat and carbon accounting of a simulated
// schedule (a `fjord simulate` results.json) for a calendar year. `eed` writes the annual data-centre report
// in the structure of Delegated Regulation (EU) 2024/1364 as JSON, CSV and a self-contained HTML page;
// `footprint` writes one tenant's footprint per job and month as JSON and CSV. docs/energy.md has the model.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { accountEnergy, type EnergyAccount } from "../../accounting/account.ts";
import { checkSchedule } from "../../accounting/check-schedule.ts";
import { eedReport, reportSites } from "../../accounting/eed-report.ts";
import { siteEnergy } from "../../accounting/energy-schema.ts";
import { tenantFootprint } from "../../accounting/footprint-report.ts";
import { type Period, yearPeriod } from "../../accounting/period.ts";
import type { Schedule } from "../../accounting/schedule.ts";
import { scheduleFromResults } from "../../accounting/schedule-document.ts";
import type { Signals } from "../../accounting/signals.ts";
import { syntheticSignals } from "../../accounting/synthetic-signals.ts";
import { loadFacilityFile } from "../../facility/load-facility-file.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import type { Facility } from "../../model/types.ts";
import { loadSignalsFile } from "../../signals/load-signals-file.ts";
import { EXIT_CODES_HELP } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { eedCsv, footprintCsv } from "../render/eed-csv.ts";
import { eedExplain } from "../render/eed-explain.ts";
import { eedHtml } from "../render/eed-html.ts";
import { reportJson } from "../render/eed-json.ts";
import { eedSummary, footprintSummary } from "../render/eed-summary.ts";
import { parseSeed } from "../seed-option.ts";

export interface ReportOptions {
  period: string;
  facility: string;
  simulation: string;
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
    .description("energy, water, heat and carbon accounting of a simulated schedule");
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
  ).action((_options: unknown, command: Command) => {
    io.out(runEedReport(command.opts<EedOptions>()));
  });
  withCommonOptions(
    report
      .command("footprint")
      .description("one tenant's energy, water, heat and CO2e per job and per month: JSON, CSV")
      .requiredOption("--tenant <id>", "tenant id")
      .addHelpText("after", EXIT_CODES_HELP),
  ).action((_options: unknown, command: Command) => {
    io.out(runFootprintReport(command.opts<FootprintOptions>()));
  });
  return report;
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption("--period <year>", "calendar year to report, e.g. 2026 (UTC)")
    .requiredOption("--facility <file>", "facility YAML, with the sites' energy blocks (docs/energy.md)")
    .requiredOption("--simulation <file>", "results.json written by `fjord simulate`")
    .option("--run <label>", "which run of results.json (default: the first)")
    .option("--signals <file>", "hourly signals CSV (default: seeded synthetic series per site)")
    .option("--seed <n>", "seed of the synthetic signals", "1")
    .requiredOption("--out <dir>", "directory to write the report files into (created if missing)");
}

/** Accounts for the chosen sites, writes the three files and returns the summary to print. */
export function runEedReport(options: EedOptions): string {
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
  mkdirSync(options.out, { recursive: true });
  const written = [
    write(options.out, "eed-report.json", reportJson(report)),
    write(options.out, "eed-report.csv", eedCsv(report)),
    write(options.out, "eed-report.html", eedHtml(report, inputs.facility.name)),
  ];
  const explain = options.explain === true ? [eedExplain(report)] : [];
  return [eedSummary(report), ...explain, ...written.map((p) => `wrote ${p}`), ""].join("\n");
}

export function runFootprintReport(options: FootprintOptions): string {
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
  const footprint = tenantFootprint(account, options.tenant);
  mkdirSync(options.out, { recursive: true });
  const written = [
    write(options.out, `footprint-${options.tenant}.json`, reportJson(footprint)),
    write(options.out, `footprint-${options.tenant}.csv`, footprintCsv(footprint)),
  ];
  return [footprintSummary(footprint), ...written.map((p) => `wrote ${p}`), ""].join("\n");
}

interface ReportInputs {
  period: Period;
  seed: number;
  facility: Facility;
  schedule: Schedule;
  runLabel: string;
}

function loadReportInputs(options: ReportOptions): ReportInputs {
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
