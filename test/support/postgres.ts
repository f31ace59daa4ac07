// A fresh PostgreSQL database per test file on the local server, dropped when the file's tests end.
// Without a server the PostgreSQL half of the store tests is skipped with a loud warning, except in CI
// (CI=true), where it must run: .ci/run installs and starts the server.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";

const ADMIN_URL = process.env.FJORD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const IN_CI = /^(true|1)$/i.test(process.env.CI ?? "");

/** URL of a new, empty database; null when no server answers (never in CI, where that fails the file). */
export async function freshPostgresDatabase(): Promise<string | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    const problem = `PostgreSQL does not answer at ${ADMIN_URL} (${(err as Error).message})`;
    if (IN_CI)
      throw new Error(`${problem}; CI runs the store tests on both backends, so it needs the server`);
    console.warn(
      [
        "",
        "!".repeat(100),
        `!! ${problem}.`,
        "!! The PostgreSQL half of the store tests is SKIPPED. Start a server that trusts local TCP connections",
        "!! (Debian: `apt-get install postgresql && service postgresql start`, as .ci/run does), or point",
        "!! FJORD_TEST_POSTGRES_URL at one.",
        "!".repeat(100),
        "",
      ].join("\n"),
    );
    return null;
  }
  const name = `fjord_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  afterAll(async () => {
    const dropper = new pg.Client({ connectionString: ADMIN_URL });
    await dropper.connect();
    try {
      await dropper.query(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
