// A fresh PostgreSQL database per test file on the local server, dropped when the file's tests end.
// Without a server the PostgreSQL half of the store tests is skipped with a loud warning, except in CI
// (CI=true), where it must run: .ci/run installs and starts the server.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";

export const ADMIN_URL = process.env.FJORD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const IN_CI = /^(true|1)$/i.test(process.env.CI ?? "");

/** URL of a new, empty database; null when no server answers (never in CI, where that fails the file). */
export async function freshPostgresDatabase(): Promise<string | null> {
  const database = await createPostgresDatabase("the store tests");
  if (database === null) return null;
  afterAll(() => database.drop());
  return database.url;
}

export interface TestDatabase {
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/**
 * A new, empty database the caller drops; null when no server answers, after a loud warning that `what`
 * is skipped on PostgreSQL (in CI it throws instead).
 */
export async function createPostgresDatabase(what: string): Promise<TestDatabase | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    const problem = `PostgreSQL does not answer at ${ADMIN_URL} (${(err as Error).message})`;
    if (IN_CI) throw new Error(`${problem}; CI runs ${what} on PostgreSQL too, so it needs the server`);
    warnSkipped(problem, what);
    return null;
  }
  const name = `fjord_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function warnSkipped(problem: string, what: string): void {
  console.warn(
    [
      "",
      "!".repeat(100),
      `!! ${problem}.`,
      `!! The PostgreSQL half of ${what} is SKIPPED. Start a server that trusts local TCP connections`,
      "!! (Debian: `apt-get install postgresql && service postgresql start`, as .ci/run does), or point",
      "!! FJORD_TEST_POSTGRES_URL at one.",
      "!".repeat(100),
      "",
    ].join("\n"),
  );
}
