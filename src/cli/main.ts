// The `fjord` command line: builds the program from its commands and turns the outcome into an exit code.
// Each command lives in commands/ and registers itself; main only owns what all of them share.
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { EXIT_CODES_HELP, EXIT_OK, exitCodeFor } from "./exit-codes.ts";
import { type CliIo, processIo } from "./io.ts";

type Register = (program: Command, io: CliIo) => Command;

/**
 * Every command, in the order help lists them, with whether its help ends with the exit codes. Loaded on
 * demand: a command's modules take up to most of a second to load, and `fjord serve` should answer on its
 * port before the service's modules are in, so only the command named on the line is loaded.
 */
const COMMANDS: readonly { name: string; load: () => Promise<Register>; exitCodesHelp: boolean }[] = [
  {
    name: "explain",
    load: async () => (await import("./commands/explain.ts")).registerExplain,
    exitCodesHelp: true,
  },
  {
    name: "simulate",
    load: async () => (await import("./commands/simulate.ts")).registerSimulate,
    exitCodesHelp: true,
  },
  {
    name: "serve",
    load: async () => (await import("./commands/serve.ts")).registerServe,
    exitCodesHelp: true,
  },
  {
    name: "report",
    load: async () => (await import("./commands/report.ts")).registerReport,
    exitCodesHelp: true,
  },
  {
    name: "submit",
    load: async () => (await import("./commands/submit.ts")).registerSubmit,
    exitCodesHelp: true,
  },
  {
    name: "status",
    load: async () => (await import("./commands/status.ts")).registerStatus,
    exitCodesHelp: true,
  },
  {
    name: "watch",
    load: async () => (await import("./commands/watch.ts")).registerWatch,
    exitCodesHelp: true,
  },
  {
    name: "queue",
    load: async () => (await import("./commands/queue.ts")).registerQueue,
    exitCodesHelp: true,
  },
  {
    name: "cancel",
    load: async () => (await import("./commands/cancel.ts")).registerCancel,
    exitCodesHelp: true,
  },
  {
    name: "usage",
    load: async () => (await import("./commands/usage.ts")).registerUsage,
    exitCodesHelp: true,
  },
  {
    name: "facility",
    load: async () => (await import("./commands/facility.ts")).registerFacility,
    exitCodesHelp: true,
  },
  {
    name: "audit",
    load: async () => (await import("./commands/audit.ts")).registerAudit,
    exitCodesHelp: false,
  },
  {
    name: "tenants",
    load: async () => (await import("./commands/tenants.ts")).registerTenants,
    exitCodesHelp: false,
  },
  { name: "keys", load: async () => (await import("./commands/keys.ts")).registerKeys, exitCodesHelp: false },
];

// Read from package.json rather than repeated here, so `fjord --version` always names the release installed.
const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Runs the CLI on `argv` as process.argv gives it (node, script, args…); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command("fjord")
    .description("Control plane of a sovereign GPU compute facility")
    .version(version, "-V, --version", "print the version of Fjord and exit")
    // Throw instead of calling process.exit, so the exit code is decided in one place and main stays testable.
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP);
  // The command named on the line, or every one (for help, the version, or a name that is no command).
  const named = COMMANDS.filter((c) => c.name === argv[2]);
  for (const command of named.length > 0 ? named : COMMANDS) {
    const registered = (await command.load())(program, io);
    if (command.exitCodesHelp) registered.addHelpText("after", EXIT_CODES_HELP);
  }
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}
