// The `fjord` command line: builds the program from its commands and turns the outcome into an exit code.
// Each command lives in commands/ and registers itself; main only owns what all of them share.
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { registerAudit } from "./commands/audit.ts";
import { registerCancel } from "./commands/cancel.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerFacility } from "./commands/facility.ts";
import { registerKeys } from "./commands/keys.ts";
import { registerQueue } from "./commands/queue.ts";
import { registerReport } from "./commands/report.ts";
import { registerServe } from "./commands/serve.ts";
import { registerSimulate } from "./commands/simulate.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSubmit } from "./commands/submit.ts";
import { registerTenants } from "./commands/tenants.ts";
import { registerUsage } from "./commands/usage.ts";
import { registerWatch } from "./commands/watch.ts";
import { EXIT_CODES_HELP, EXIT_OK, exitCodeFor } from "./exit-codes.ts";
import { type CliIo, processIo } from "./io.ts";

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
  registerExplain(program, io).addHelpText("after", EXIT_CODES_HELP);
  registerSimulate(program, io).addHelpText("after", EXIT_CODES_HELP);
  registerServe(program, io).addHelpText("after", EXIT_CODES_HELP);
  registerReport(program, io).addHelpText("after", EXIT_CODES_HELP);
  for (const register of [
    registerSubmit,
    registerStatus,
    registerWatch,
    registerQueue,
    registerCancel,
    registerUsage,
    registerFacility,
  ])
    register(program, io).addHelpText("after", EXIT_CODES_HELP);
  registerAudit(program, io);
  registerTenants(program, io);
  registerKeys(program, io);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}
