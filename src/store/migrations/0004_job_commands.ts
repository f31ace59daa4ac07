// Jobs learn what they run on a real cluster and which GPUs that cluster gave them. The command lives in
// the job's spec (it is part of the submission); specs stored before say outright that they have none, so
// every stored job answers `spec -> 'command'` alike. The cluster's GPU indices get a column of their own:
// Slurm picks the indices on each node itself, so they may differ from those Fjord chose and holds in
// gpu_allocations, and they are reported after the start, by the executor.
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update jobs set spec = spec || '{"command": null}'::jsonb where not spec ? 'command'`.execute(db);
  // Null until the cluster reports them (and always for simulated sites): node id and GPU indices per node.
  await db.schema.alterTable("jobs").addColumn("cluster_gpus", "jsonb").execute();
}
