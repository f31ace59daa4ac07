// The whole suite runs once; the API tests (src/api) run a second time with their store on PostgreSQL
// instead of PGlite, so every endpoint is exercised on both backends. Without a PostgreSQL server that
// second run is left out with a loud warning, except in CI (CI=true), where it must run and fails.
import pg from "pg";
import { defineConfig } from "vitest/config";
import { ADMIN_URL, IN_CI, warnSkipped } from "./test/support/postgres.ts";

async function postgresAnswers(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return null;
  } catch (err) {
    return `PostgreSQL does not answer at ${ADMIN_URL} (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export default defineConfig(async () => {
  const problem = await postgresAnswers();
  const apiOnPostgres = problem === null || IN_CI;
  // Vitest reads this file again for each project that extends it: warn once per run.
  if (!apiOnPostgres && process.env.FJORD_API_POSTGRES_WARNED === undefined) {
    process.env.FJORD_API_POSTGRES_WARNED = "1";
    warnSkipped(problem!, "the API tests");
  }
  return {
    test: {
      testTimeout: 120_000,
      hookTimeout: 120_000,
      projects: [
        { extends: true, test: { name: "all", include: ["src/**/*.test.ts", "test/**/*.test.ts"] } },
        ...(apiOnPostgres
          ? [
              {
                extends: true,
                test: {
                  name: "api-on-postgresql",
                  include: ["src/api/**/*.test.ts"],
                  env: { FJORD_TEST_API_DATABASE: "postgresql" },
                },
              },
            ]
          : []),
      ],
    },
  };
});
