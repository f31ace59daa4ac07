import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrationBackends, migratorOf } from "../../../test/support/migration-backends.ts";

const backends = await migrationBackends();

describe.each(backends)("migration 0004 on $name", ({ open }) => {
  it.skipIf(open === null)(
    "says outright that jobs stored before have no command, and leaves their cluster GPUs unknown",
    async () => {
      const db = await open!();
      try {
        const migrator = migratorOf(db);
        expect((await migrator.migrateTo("0003_tenant_quota_mode")).error).toBeUndefined();
        await sql`
          insert into jobs (id, tenant_id, spec, submitted_at_ms, state, submitted_by, allocation, restarts,
                            gpu_seconds_used, version)
          values ('j1', 't', '{"id":"j1"}', 0, 'queued', 'k', null, 0, 0, 1)`.execute(db);
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const rows = await db.selectFrom("jobs").select(["spec", "cluster_gpus"]).execute();
        expect(rows).toEqual([{ spec: { id: "j1", command: null }, cluster_gpus: null }]);
      } finally {
        await db.destroy();
      }
    },
  );
});
