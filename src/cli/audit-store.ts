// The database `fjord audit verify` and `fjord audit checkpoint` read: the PostgreSQL server of
// --database-url when given (as for fjord serve), else fjord serve's embedded database under --data-dir,
// claimed so that no running service writes it meanwhile. Both read the database itself, not the API, so
// they work while the service is down and trust nothing the service says.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Option } from "commander";
import { InputError, issueAt } from "../model/input-error.ts";
import { claimDataDir, DatabaseInUseError, type DataDirClaim } from "../store/exclusive-use.ts";
import { openStore } from "../store/open-store.ts";
import { describeServer } from "../store/postgres-store.ts";
import type { Store } from "../store/store.ts";
import { CliFailure, EXIT_UNAVAILABLE } from "./exit-codes.ts";

export interface AuditStoreOptions {
  dataDir: string;
  databaseUrl?: string;
}

export interface AuditStore {
  store: Store;
  /** The database as people name it: the embedded directory, or the server without its password. */
  where: string;
  /** Closes the store and gives up the claim. */
  close(): Promise<void>;
}

/** Where `fjord serve --data-dir <dir>` keeps its embedded database. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, "db");
}

/** --data-dir and --database-url, as fjord serve takes them. */
export function auditStoreOptions(): Option[] {
  return [
    new Option("--data-dir <dir>", "data directory of fjord serve's embedded database").default(".fjord"),
    new Option("--database-url <url>", "PostgreSQL URL instead of the embedded database").env(
      "FJORD_DATABASE_URL",
    ),
  ];
}

/** `verb` says what the command does with it, for the message asking to stop a running service. */
export async function openAuditStore(options: AuditStoreOptions, verb: string): Promise<AuditStore> {
  const url = options.databaseUrl?.trim() ?? "";
  if (url !== "") {
    const store = await openStore({ databaseUrl: url });
    return { store, where: describeServer(url), close: () => store.close() };
  }

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
      throw new CliFailure(`fjord: ${err.message}, then ${verb}`, EXIT_UNAVAILABLE);
    throw err;
  }
  if (!claim.tookOverStale && existsSync(join(dir, "postmaster.pid"))) {
    await claim.release();
    throw new CliFailure(
      `fjord: the database in ${dir} is open in another process (fjord serve?): stop it, then ${verb}.\n` +
        `(If nothing has it open, it was not shut down cleanly: start and stop fjord serve once.)`,
      EXIT_UNAVAILABLE,
    );
  }
  try {
    const store = await openStore({ dataDir: dir });
    return {
      store,
      where: dir,
      close: async () => {
        try {
          await store.close();
        } finally {
          await claim.release();
        }
      },
    };
  } catch (err) {
    await claim.release();
    throw err;
  }
}
