// `fjord explain`: runs one scheduling pass on files and says, for every job, what the scheduler decides and
// why. Read-only: it applies nothing, so it is safe to run against production inputs.
import type { Command } from "commander";
import { compileFacility } from "../../scheduler/compile-facility.ts";
import { schedule } from "../../scheduler/schedule.ts";
import type { CliIo } from "../io.ts";
import { renderDecisionsJson } from "../render/decisions-json.ts";
import { type DecisionLookup, renderDecisionTables, summaryLine } from "../render/decisions-table.ts";
import { facilityHeader } from "../render/facility-header.ts";
import { loadSchedulingFiles, type SchedulingFiles } from "../scheduling-inputs.ts";

export interface ExplainOptions {
  facility: string;
  policy: string;
  jobs: string;
  now?: string;
  running?: string;
  json?: boolean;
}

/** Adds `explain` to the program and returns it (for per-command help text). */
export function registerExplain(program: Command, io: CliIo): Command {
  return program
    .command("explain")
    .description("decide one scheduling pass and explain every start, preemption and waiting job")
    .requiredOption("--facility <file>", "facility YAML (sites, halls, racks)")
    .requiredOption("--policy <file>", "access policy YAML (tiers, tenants)")
    .requiredOption("--jobs <file>", "queued jobs YAML")
    .option(
      "--now <time>",
      "ISO 8601 time to decide at (default: the latest submittedAt or startedAt in the inputs)",
    )
    .option("--running <file>", "running jobs YAML or JSON: { running: [{ job, startedAt, allocation }] }")
    .option("--json", "print the decisions as JSON, each waiting job with its message")
    .action((_options: unknown, command: Command) => {
      io.out(explain(command.opts<ExplainOptions>()));
    });
}

/** The whole report as text; throws InputError for bad input files or options. */
export function explain(options: ExplainOptions): string {
  const files = loadSchedulingFiles(options);
  const decisions = schedule({
    facility: compileFacility(files.facility),
    policy: files.policy,
    queue: files.queue,
    running: files.running,
    // Past usage is not an input of explain yet: every tenant starts the pass with a clean fair-share slate.
    usage: [],
    nowMs: files.nowMs,
  });
  if (options.json === true) return renderDecisionsJson(decisions);
  return [
    facilityHeader(files.facility, files.running, files.nowMs),
    "",
    renderDecisionTables(decisions, lookupFor(files)),
    summaryLine(decisions),
    "",
  ].join("\n");
}

function lookupFor(files: SchedulingFiles): DecisionLookup {
  return {
    jobs: new Map([
      ...files.running.map((r) => [r.job.id, r.job] as const),
      ...files.queue.map((j) => [j.id, j] as const),
    ]),
    tierOfTenant: new Map(files.policy.tenants.map((t) => [t.id, t.tierId])),
  };
}
