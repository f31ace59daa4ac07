// `fjord serve`: the control plane as a service (serve-service.ts). This module loads with every `fjord`
// command, so it holds only the options and the first step — binding the port — and loads the service's
// modules after it: the process answers /healthz at once, and /readyz says what start-up is doing.
import type { Command } from "commander";
import { CliFailure, EXIT_UNAVAILABLE } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { listen, parseNumber } from "../serve-listen.ts";
import type { RunningService, ServeOptions } from "../serve-service.ts";

export function registerServe(program: Command, io: CliIo): Command {
  return program
    .command("serve")
    .description("run the control plane: API, scheduler loop and executor (embedded PGlite by default)")
    .option("--facility <file>", "facility YAML", "facilities/stargate-norway.yaml")
    .option("--policy <file>", "access policy YAML (tiers; tenants on first start)", "policies/default.yaml")
    .option("--data-dir <dir>", "where the embedded database and the first start's API keys live", ".fjord")
    .option(
      "--database-url <url>",
      "PostgreSQL URL instead of the embedded database (default: $FJORD_DATABASE_URL)",
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = any free port)", process.env.PORT ?? "8080")
    .option("--speed <x>", "clock speed of the simulated executor; 60 = an hour a minute", "1")
    .option("--demo-load <scale>", "submit the synthetic tier mix at this scale (1 ≈ 2,756 jobs a day)")
    .option("--seed <n>", "seed of the demo load and of the synthetic signals", "1")
    .option(
      "--signals <csv>",
      "hourly signals for usage's energy figures and deferral (default: seeded synthetic series)",
    )
    .option("--rate-limit <per-min>", "requests per minute per API key, unless the key sets its own", "600")
    .option(
      "--trust-proxy <addresses>",
      "reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For names the client",
    )
    .option(
      "--simulation-reports <dir>",
      "list the runs fjord simulate wrote here (one directory each) at /v1/simulation-reports (operators)",
    )
    .option("--audit-checkpoint <file>", "append signed checkpoints of the audit chain's head to this file")
    .option("--audit-checkpoint-key <file>", "the checkpoints' Ed25519 signing key (made on first use)")
    .option("--audit-checkpoint-every <duration>", "how often to checkpoint, besides at start and stop (15m)")
    .option("--no-log", "no JSON request logs on stdout")
    .action(async (_options: unknown, command: Command) => {
      const options = command.opts<ServeOptions>();
      const port = parseNumber("--port", options.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
      const http = await listen(options.host, port);
      http.setStage("loading Fjord");
      // Loaded once the port answers: the service's modules take most of a second to load.
      const { DRAIN_LIMIT_MS, drainedWithin, launchService } = await import("../serve-service.ts");
      let service: RunningService;
      try {
        // Timed from the process's start (performance.now()'s origin), as a user waiting for it counts.
        service = await launchService(options, io, 0, http);
      } catch (err) {
        await http.close(0);
        throw err;
      }
      const stopWhy = await new Promise<Error | null>((resolve) => {
        const shutdown = (signal: string) => {
          io.err(`fjord: ${signal}: draining and stopping\n`);
          resolve(null);
        };
        process.once("SIGINT", shutdown);
        process.once("SIGTERM", shutdown);
        void service.claimLost.then(resolve);
        void service.failed.then(resolve);
      });
      // Without its claim another process may take the database over: stop scheduling at once.
      if (stopWhy) io.err(`fjord: ${stopWhy.message}: stopping\n`);
      if (!(await drainedWithin(service, DRAIN_LIMIT_MS))) {
        io.err(
          `fjord: still draining after ${DRAIN_LIMIT_MS / 1000} s: exiting now; the database holds every ` +
            "decision carried out, and the next start carries on from it\n",
        );
        process.exit(EXIT_UNAVAILABLE);
      }
      if (stopWhy) throw new CliFailure(`fjord: stopped: ${stopWhy.message}`, EXIT_UNAVAILABLE);
    });
}
