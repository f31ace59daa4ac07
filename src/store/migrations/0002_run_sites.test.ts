import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../../test/support/postgres.ts";
import { postgresKysely } from "../postgres-store.ts";
import type { Database } from "../schema.ts";
import { MIGRATIONS } from "./migrations.ts";

const postgresUrl = await freshPostgresDatabase();

const backends: { name: string; open: (() => Promise<Kysely<Database>>) | null }[] = [
  {
    name: "PGlite",
    open: async () => new Kysely<Database>({ dialect: new PGliteDialect(await PGlite.create()) }),
  },
  { name: "PostgreSQL", open: postgresUrl === null ? null : async () => postgresKysely(postgresUrl) },
];

describe.each(backends)("migration 0002 on $name", ({ open }) => {
  it.skipIf(open === null)(
    "gives a job's latest run the site of its stored allocation and leaves earlier runs unknown",
    async () => {
      const db = await open!();
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } });
        expect((await migrator.migrateTo("0001_initial")).error).toBeUndefined();
        await sql`
          insert into jobs (id, tenant_id, spec, submitted_at_ms, state, submitted_by, allocation, restarts,
                            gpu_seconds_used, version)
          values ('j1', 't', '{}', 0, 'running', 'k', '{"siteId":"s2","nodes":[]}', 1, 0, 4)`.execute(db);
        await sql`
          insert into job_runs (job_id, run, tenant_id, gpus, started_at_ms, ended_at_ms)
          values ('j1', 0, 't', 4, 0, 10), ('j1', 1, 't', 4, 20, null)`.execute(db);
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const runs = await db
          .selectFrom("job_runs")
          .select(["job_id", "run", "site_id"])
          .orderBy("run")
          .execute();
        expect(runs).toEqual([
          { job_id: "j1", run: 0, site_id: null },
          { job_id: "j1", run: 1, site_id: "s2" },
        ]);
      } finally {
        await db.destroy();
      }
    },
  );
});
