import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrationBackends, migratorOf } from "../../../test/support/migration-backends.ts";

const backends = await migrationBackends();

describe.each(backends)("migration 0002 on $name", ({ open }) => {
  it.skipIf(open === null)(
    "gives a job's latest run the site of its stored allocation and leaves earlier runs unknown",
    async () => {
      const db = await open!();
      try {
        const migrator = migratorOf(db);
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
