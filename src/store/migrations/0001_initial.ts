// The first schema. Migrations are frozen once released: later changes go in new files, and this one
// spells out its own values instead of importing constants that might change.
import { type Kysely, sql } from "kysely";

const EMPTY_CHAIN_HEAD = JSON.stringify({ seq: 0, hash: "0".repeat(64) });

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tenants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("tier_id", "text", (c) => c.notNull())
    .addColumn("weight", "double precision", (c) => c.notNull())
    .addColumn("quota_gpus", "integer")
    .addColumn("org_number", "text")
    .addColumn("country", "text")
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("rate_limit_per_min", "integer")
    .addColumn("created_at_ms", "bigint", (c) => c.notNull())
    .addColumn("revoked_at_ms", "bigint")
    .addCheckConstraint("api_keys_role", sql`role in ('operator', 'tenant-admin', 'tenant-member')`)
    .execute();
  await db.schema
    .createIndex("api_keys_by_tenant")
    .on("api_keys")
    .columns(["tenant_id", "created_at_ms"])
    .execute();

  // Tenants named by the policy file need not have a row here, so jobs and keys carry no foreign key to it.
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("spec", "jsonb", (c) => c.notNull())
    .addColumn("submitted_at_ms", "bigint", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    .addColumn("started_at_ms", "bigint")
    .addColumn("ended_at_ms", "bigint")
    .addColumn("allocation", "jsonb")
    .addColumn("restarts", "integer", (c) => c.notNull())
    .addColumn("gpu_seconds_used", "double precision", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addUniqueConstraint("jobs_idempotency", ["tenant_id", "idempotency_key"])
    .addCheckConstraint("jobs_state", sql`state in ('queued', 'running', 'completed', 'failed', 'cancelled')`)
    .execute();
  await db.schema.createIndex("jobs_by_submission").on("jobs").columns(["submitted_at_ms", "id"]).execute();
  await db.schema
    .createIndex("jobs_by_tenant")
    .on("jobs")
    .columns(["tenant_id", "submitted_at_ms", "id"])
    .execute();
  await db.schema
    .createIndex("jobs_by_state")
    .on("jobs")
    .columns(["state", "submitted_at_ms", "id"])
    .execute();

  await db.schema
    .createTable("gpu_allocations")
    .addColumn("node_id", "text", (c) => c.notNull())
    .addColumn("gpu_index", "integer", (c) => c.notNull())
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id"))
    .addPrimaryKeyConstraint("gpu_allocations_pkey", ["node_id", "gpu_index"])
    .execute();
  await db.schema.createIndex("gpu_allocations_by_job").on("gpu_allocations").column("job_id").execute();

  await db.schema
    .createTable("job_runs")
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id"))
    .addColumn("run", "integer", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("gpus", "integer", (c) => c.notNull())
    .addColumn("started_at_ms", "bigint", (c) => c.notNull())
    .addColumn("ended_at_ms", "bigint")
    .addPrimaryKeyConstraint("job_runs_pkey", ["job_id", "run"])
    .execute();
  await db.schema.createIndex("job_runs_by_end").on("job_runs").column("ended_at_ms").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", "bigint", (c) => c.primaryKey())
    .addColumn("at_ms", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text")
    .addColumn("object_type", "text", (c) => c.notNull())
    .addColumn("object_id", "text", (c) => c.notNull())
    .addColumn("details", "jsonb", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_by_tenant").on("audit_log").columns(["tenant_id", "seq"]).execute();

  await db.schema
    .createTable("kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .execute();
  await db.insertInto("kv").values({ key: "audit.head", value: EMPTY_CHAIN_HEAD }).execute();
}
