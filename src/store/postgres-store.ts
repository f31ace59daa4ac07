// The Store on a PostgreSQL server, for production: a connection pool shared by the HTTP API and the
// control loop, int8 read as JS numbers (epoch ms and seqs stay far below 2^53).
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { InputError, issueAt } from "../model/input-error.ts";
import { KyselyStore } from "./kysely-store.ts";
import type { Database } from "./schema.ts";

/** Where the URL comes from, as users set it. */
export const DATABASE_URL_SETTING = "database URL (--database-url or FJORD_DATABASE_URL)";

/**
 * Connections per process. Enough for 50 concurrent API clients (a submission holds one for ~1 ms) while
 * leaving room under the server's default max_connections of 100 for a few Fjord processes.
 */
const POOL_SIZE = 16;

const INT8_AS_NUMBER = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A migrated store on the server at `url`; an InputError naming the setting when it cannot be used. */
export async function openPostgresStore(url: string): Promise<KyselyStore> {
  const where = describeServer(url);
  const store = new KyselyStore(postgresKysely(url));
  try {
    await store.ping();
  } catch (err) {
    await store.close();
    throw new InputError(DATABASE_URL_SETTING, [
      issueAt([], `cannot connect to PostgreSQL at ${where}: ${(err as Error).message}`),
    ]);
  }
  await store.migrate();
  return store;
}

/** Kysely on a pool for `url`; the URL must already have passed describeServer. */
export function postgresKysely(url: string): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    types: INT8_AS_NUMBER,
  });
  // An idle connection the server closes (restart, timeout) is dropped by the pool and replaced on the
  // next query, which reports any failure to its caller; without a listener it would crash the process.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** host:port/database of `url` for messages, password left out; an InputError if it is not a PostgreSQL URL. */
export function describeServer(url: string): string {
  const problem = (reason: string) => new InputError(DATABASE_URL_SETTING, [issueAt([], reason)]);
  if (!isPostgresUrl(url))
    throw problem(`must start with postgres:// or postgresql://, got "${redact(url)}"`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem(`is not a valid URL: "${redact(url)}"`);
  }
  const host = parsed.hostname || "localhost";
  return `${host}:${parsed.port || "5432"}${parsed.pathname || "/"}`;
}

/** The URL with any password replaced, for error messages and logs. */
function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
