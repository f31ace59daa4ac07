// The Store on Kysely: one implementation for PGlite and PostgreSQL, which differ only in the dialect
// open-store.ts hands in. Every write that carries audit drafts appends them in its own transaction.
import { type Kysely, Migrator, sql } from "kysely";
import type { NodeAllocation, Tenant } from "../model/types.ts";
import { applyTransitionsIn } from "./apply-transitions.ts";
import { AUDIT_HEAD_KEY, appendAuditIn } from "./audit-append.ts";
import { decodeAuditCursor, decodeJobCursor, encodeAuditCursor, encodeJobCursor } from "./cursor.ts";
import { GroupCommit } from "./group-commit.ts";
import { MIGRATIONS } from "./migrations/migrations.ts";
import type {
  ApiKeyRecord,
  AuditDraft,
  AuditEntry,
  JobRecord,
  JobRunSlice,
  Page,
  TenantRecord,
} from "./records.ts";
import { apiKeyRecordOf, apiKeyRow, auditEntryOf, jobRecordOf, tenantRecordOf, tenantRow } from "./rows.ts";
import type { Database } from "./schema.ts";
import type { AuditFilter, JobFilter, JobTransition, Store, TransitionOutcome } from "./store.ts";
import { type Submission, type SubmitResult, submitJobsIn } from "./submit-jobs.ts";

/** Most submissions in one transaction: bounds how long the callers in a group wait for its commit. */
const MAX_SUBMISSIONS_PER_COMMIT = 256;
/**
 * Two groups at once: while one waits for the chain head lock and its commit, the next already inserts
 * its jobs. More only queue on the same lock.
 */
const MAX_SUBMISSION_GROUPS_IN_FLIGHT = 2;

export class KyselyStore implements Store {
  private readonly submissions: GroupCommit<Submission, SubmitResult>;

  constructor(private readonly db: Kysely<Database>) {
    this.submissions = new GroupCommit(
      (group) => db.transaction().execute((trx) => submitJobsIn(trx, group)),
      MAX_SUBMISSIONS_PER_COMMIT,
      MAX_SUBMISSION_GROUPS_IN_FLIGHT,
    );
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "the migration table";
      throw new Error(`database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.submissions.idle();
    await this.db.destroy();
  }

  async ping(): Promise<boolean> {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(this.db);
    return rows[0]?.one === 1;
  }

  putTenant(tenant: Tenant, atMs: number, audit: AuditDraft): Promise<TenantRecord> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("tenants")
        .values(tenantRow(tenant, atMs))
        .onConflict((oc) =>
          oc.column("id").doUpdateSet((eb) => ({
            name: eb.ref("excluded.name"),
            tier_id: eb.ref("excluded.tier_id"),
            weight: eb.ref("excluded.weight"),
            quota_gpus: eb.ref("excluded.quota_gpus"),
            quota_mode: eb.ref("excluded.quota_mode"),
            org_number: eb.ref("excluded.org_number"),
            country: eb.ref("excluded.country"),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAuditIn(trx, [audit]);
      return tenantRecordOf(row);
    });
  }

  async getTenant(id: string): Promise<TenantRecord | null> {
    const row = await this.db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? tenantRecordOf(row) : null;
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom("tenants").selectAll().orderBy("id").execute();
    return rows.map(tenantRecordOf);
  }

  async insertApiKey(key: ApiKeyRecord, audit: AuditDraft): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto("api_keys").values(apiKeyRow(key)).execute();
      await appendAuditIn(trx, [audit]);
    });
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? apiKeyRecordOf(row) : null;
  }

  async listApiKeys(tenantId: string | null): Promise<ApiKeyRecord[]> {
    const rows = await this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("tenant_id", tenantId === null ? "is" : "=", tenantId)
      .orderBy("created_at_ms")
      .orderBy("id")
      .execute();
    return rows.map(apiKeyRecordOf);
  }

  revokeApiKey(id: string, atMs: number, audit: AuditDraft): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const revoked = await trx
        .updateTable("api_keys")
        .set({ revoked_at_ms: atMs })
        .where("id", "=", id)
        .where("revoked_at_ms", "is", null)
        .returning("id")
        .executeTakeFirst();
      if (!revoked) return false;
      await appendAuditIn(trx, [audit]);
      return true;
    });
  }

  submitJob(record: JobRecord, audit: AuditDraft): Promise<{ record: JobRecord; created: boolean }> {
    return this.submissions.run({ record, audit });
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const row = await this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? jobRecordOf(row) : null;
  }

  async listJobs(filter: JobFilter): Promise<Page<JobRecord>> {
    const after = filter.cursor ? decodeJobCursor(filter.cursor) : null;
    let query = this.db.selectFrom("jobs").selectAll();
    if (filter.tenantId !== undefined) query = query.where("tenant_id", "=", filter.tenantId);
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return { items: [], nextCursor: null };
      query = query.where("state", "in", filter.states);
    }
    if (after)
      query = query.where((eb) =>
        eb(eb.refTuple("submitted_at_ms", "id"), ">", eb.tuple(after.submittedAtMs, after.id)),
      );
    // One row beyond the page says whether there is a next page.
    const rows = await query
      .orderBy("submitted_at_ms")
      .orderBy("id")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit).map(jobRecordOf);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > filter.limit && last
          ? encodeJobCursor({ submittedAtMs: last.job.submittedAtMs, id: last.job.id })
          : null,
    };
  }

  async liveJobs(): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("state", "in", ["queued", "running"])
      .orderBy("submitted_at_ms")
      .orderBy("id")
      .execute();
    return rows.map(jobRecordOf);
  }

  async recordClusterGpus(jobId: string, startedAtMs: number, nodes: NodeAllocation[]): Promise<boolean> {
    const result = await this.db
      .updateTable("jobs")
      .set({ cluster_gpus: JSON.stringify(nodes) })
      .where("id", "=", jobId)
      .where("started_at_ms", "=", startedAtMs)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  transition(transitions: JobTransition[]): Promise<TransitionOutcome> {
    if (transitions.length === 0) return Promise.resolve({ applied: [], skipped: [] });
    return this.db.transaction().execute((trx) => applyTransitionsIn(trx, transitions));
  }

  async jobRunsOverlapping(fromMs: number, toMs: number, nowMs: number): Promise<JobRunSlice[]> {
    // The first two conditions can use the indexes on start and end; the third drops what clipping empties
    // (a run that started after nowMs by a stepped clock, a zero-length run).
    const { rows } = await sql<JobRunSlice>`
      select r.job_id as "jobId", r.tenant_id as "tenantId", r.site_id as "siteId", r.gpus,
        greatest(r.started_at_ms, ${fromMs}::int8) as "startAtMs",
        least(coalesce(r.ended_at_ms, ${nowMs}::int8), ${toMs}::int8) as "endAtMs",
        j.spec -> 'labels' as labels
      from job_runs r join jobs j on j.id = r.job_id
      where r.started_at_ms < ${toMs}::int8 and (r.ended_at_ms is null or r.ended_at_ms > ${fromMs}::int8)
        and greatest(r.started_at_ms, ${fromMs}::int8)
          < least(coalesce(r.ended_at_ms, ${nowMs}::int8), ${toMs}::int8)
      order by r.started_at_ms, r.job_id, r.run`.execute(this.db);
    return rows;
  }

  appendAudit(entries: AuditDraft[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return Promise.resolve([]);
    return this.db.transaction().execute((trx) => appendAuditIn(trx, entries));
  }

  async listAudit(filter: AuditFilter): Promise<Page<AuditEntry>> {
    const afterSeq = Math.max(filter.afterSeq ?? 0, filter.cursor ? decodeAuditCursor(filter.cursor) : 0);
    let query = this.db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq);
    if (filter.tenantId !== undefined) query = query.where("tenant_id", "=", filter.tenantId);
    const rows = await query
      .orderBy("seq")
      .limit(filter.limit + 1)
      .execute();
    const items = rows.slice(0, filter.limit).map(auditEntryOf);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? encodeAuditCursor(last.seq) : null };
  }

  async auditRange(fromSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">=", fromSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map(auditEntryOf);
  }

  async getValue<T>(key: string): Promise<T | null> {
    const row = await this.db.selectFrom("kv").select("value").where("key", "=", key).executeTakeFirst();
    return row ? (row.value as T) : null;
  }

  async setValue(key: string, value: unknown): Promise<void> {
    // The chain head changes only with an append, in the same transaction; anything else would let a
    // caller hide removed entries.
    if (key === AUDIT_HEAD_KEY)
      throw new Error(`kv key ${AUDIT_HEAD_KEY} is the audit chain head and cannot be set`);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`setValue: the value for ${key} has no JSON form`);
    await this.db
      .insertInto("kv")
      .values({ key, value: json })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
      .execute();
  }
}
