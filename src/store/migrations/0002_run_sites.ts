// Runs learn where they ran, so usage can account their energy, water, heat and emissions at their site;
// and an index on the start, so reading the runs of a past window does not scan every later run.
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // Null for runs recorded before this migration whose site is no longer known (below).
  await db.schema.alterTable("job_runs").addColumn("site_id", "text").execute();
  // A job's stored allocation is that of its latest run, so that run's site is known exactly; earlier runs
  // of a restarted job may have run elsewhere and stay null.
  await sql`
    update job_runs set site_id = jobs.allocation ->> 'siteId'
    from jobs
    where job_runs.job_id = jobs.id and jobs.allocation is not null
      and job_runs.run = (select max(r.run) from job_runs r where r.job_id = jobs.id)`.execute(db);
  await db.schema.createIndex("job_runs_by_start").on("job_runs").column("started_at_ms").execute();
}
