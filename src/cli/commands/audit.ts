// `fjord audit verify`: an operator's check of the audit log's hash chain, run on the database itself (not
// over HTTP), so it also works when the service is down and trusts nothing the service says.
// `fjord audit export`: one tenant's whole trail from /v1/audit/export, as evidence.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Command, Option } from "commander";
import { auditEntryToWire, auditExportSchema } from "../../api/schemas/audit.ts";
import { verifyStoreChain } from "../../audit/verify-store.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { idSchema, validate } from "../../model/input-schemas.ts";
import { claimDataDir, DatabaseInUseError, type DataDirClaim } from "../../store/exclusive-use.ts";
import { openStore } from "../../store/open-store.ts";
import { describeServer } from "../../store/postgres-store.ts";
import type { Store } from "../../store/store.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { CliFailure, EXIT_AUDIT_BROKEN, EXIT_CODES_HELP, EXIT_UNAVAILABLE } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { exportSummary, verdictText } from "../render/audit-output.ts";
import { stableJson } from "../render/stable-json.ts";

export interface VerifyOptions {
  dataDir: string;
  databaseUrl?: string;
  json?: boolean;
}

export interface ExportOptions extends ApiOptions {
  tenant: string;
  out?: string;
}

/** Where `fjord serve --data-dir <dir>` keeps its embedded database. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, "db");
}

export function registerAudit(program: Command, io: CliIo): Command {
  const audit = program.command("audit").description("verify the audit log, or export a tenant's trail");
  audit
    .command("verify")
    .description(
      "verify the audit log's hash chain in the database (stop fjord serve first on embedded PGlite)",
    )
    .option("--data-dir <dir>", "data directory of fjord serve's embedded database", ".fjord")
    .addOption(
      new Option("--database-url <url>", "PostgreSQL URL instead of the embedded database").env(
        "FJORD_DATABASE_URL",
      ),
    )
    .option("--json", "print the verdict as JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      await runVerify(cmd.opts<VerifyOptions>(), io);
    });
  withApiOptions(
    audit
      .command("export")
      .description("export one tenant's audit trail: every entry, who acted, where its jobs ran (operators)")
      .requiredOption("--tenant <id>", "the tenant")
      .option("--out <file>", "write the JSON to this file and print a summary (default: JSON to stdout)"),
  )
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      await runExport(cmd.opts<ExportOptions>(), io);
    });
  return audit;
}

async function runVerify(options: VerifyOptions, io: CliIo): Promise<void> {
  const { store, where, release } = await openAuditStore(options);
  try {
    const verdict = await verifyStoreChain(store);
    const seq = verdict.ok ? null : verdict.problem.seq;
    const [stored] = seq === null ? [] : await store.auditRange(seq, 1);
    const bad = stored !== undefined && stored.seq === seq ? auditEntryToWire(stored) : null;
    io.out(
      options.json
        ? stableJson(verdict.ok ? verdict : { ...verdict, entry: bad })
        : verdictText(verdict, bad, where),
    );
    if (!verdict.ok)
      throw new CliFailure(
        `fjord: the audit log's hash chain is broken at entry ${verdict.problem.seq} (${verdict.problem.kind})`,
        EXIT_AUDIT_BROKEN,
      );
  } finally {
    await store.close();
    await release();
  }
}

/** The store to verify: the PostgreSQL URL when given (like fjord serve), else the embedded database. */
async function openAuditStore(
  options: VerifyOptions,
): Promise<{ store: Store; where: string; release(): Promise<void> }> {
  const url = options.databaseUrl?.trim() ?? "";
  if (url !== "")
    return {
      store: await openStore({ databaseUrl: url }),
      where: describeServer(url),
      release: () => Promise.resolve(),
    };

  const dir = embeddedDatabaseDir(options.dataDir);
  // Opening a directory that holds no database would create an empty one, which verifies as intact.
  if (!existsSync(join(dir, "PG_VERSION")))
    throw new InputError("--data-dir", [
      issueAt(
        [],
        `no Fjord database in ${options.dataDir}: ${dir} does not exist (fjord serve --data-dir creates it)`,
      ),
    ]);
  // PGlite keeps no lock: a second process writing the same directory could damage the database. A
  // running fjord serve holds the data directory's claim; without a claim, PGlite's own pid file says
  // that something else has the database open, unless it was left by a fjord that did not stop cleanly.
  let claim: DataDirClaim;
  try {
    claim = claimDataDir(options.dataDir);
  } catch (err) {
    if (err instanceof DatabaseInUseError)
      throw new CliFailure(`fjord: ${err.message}, then verify`, EXIT_UNAVAILABLE);
    throw err;
  }
  if (!claim.tookOverStale && existsSync(join(dir, "postmaster.pid"))) {
    await claim.release();
    throw new CliFailure(
      `fjord: the database in ${dir} is open in another process (fjord serve?): stop it, then verify.\n` +
        `(If nothing has it open, it was not shut down cleanly: start and stop fjord serve once.)`,
      EXIT_UNAVAILABLE,
    );
  }
  try {
    const store = await openStore({ dataDir: dir });
    return { store, where: dir, release: () => claim.release() };
  } catch (err) {
    await claim.release();
    throw err;
  }
}

async function runExport(options: ExportOptions, io: CliIo): Promise<void> {
  const tenant = validate(idSchema, options.tenant, "--tenant");
  const trail = await apiClient(options).get("audit/export", auditExportSchema, { tenant });
  const text = stableJson(trail.json);
  if (options.out === undefined) {
    io.out(text);
    return;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, text);
  io.out(exportSummary(trail.data, options.out));
}
