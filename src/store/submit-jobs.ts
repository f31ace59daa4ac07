// Stores a group of submissions in the caller's transaction: one multi-row insert for the jobs, one
// lookup for those whose idempotency key was already used, one audit append for those created.
import { sql, type Transaction } from "kysely";
import { appendAuditIn } from "./audit-append.ts";
import type { Settled } from "./group-commit.ts";
import type { AuditDraft, JobRecord } from "./records.ts";
import { jobRecordOf } from "./rows.ts";
import type { Database } from "./schema.ts";
import { DuplicateJobError } from "./store.ts";
import { assertStorable } from "./store-errors.ts";

export interface Submission {
  record: JobRecord;
  audit: AuditDraft;
}

export type SubmitResult = { record: JobRecord; created: boolean };

export async function submitJobsIn(
  trx: Transaction<Database>,
  submissions: readonly Submission[],
): Promise<Settled<SubmitResult>[]> {
  // A job whose text the database cannot keep is refused on its own: one bad statement would abort the
  // whole group's transaction, other callers' jobs with it.
  const unstorable = submissions.map(unstorableProblem);
  const storable = submissions.filter((_, i) => unstorable[i] === null);
  const insertedIds = await insertJobs(
    trx,
    storable.map((s) => s.record),
  );
  const created = submissions.map((s, i) => unstorable[i] === null && insertedIds.delete(s.record.job.id));

  const keyed = submissions.filter(
    (s, i) => !created[i] && unstorable[i] === null && s.record.idempotencyKey !== null,
  );
  const earlier = new Map<string, JobRecord>();
  if (keyed.length > 0) {
    const rows = await trx
      .selectFrom("jobs")
      .selectAll()
      .where(
        sql<boolean>`(tenant_id, idempotency_key) in (select * from unnest(${keyed.map((s) => s.record.job.tenantId)}::text[], ${keyed.map((s) => s.record.idempotencyKey)}::text[]))`,
      )
      .execute();
    for (const row of rows)
      earlier.set(idempotencyKeyOf(row.tenant_id, row.idempotency_key!), jobRecordOf(row));
  }

  await appendAuditIn(
    trx,
    submissions.filter((_, i) => created[i]).map((s) => s.audit),
  );
  return submissions.map((s, i): Settled<SubmitResult> => {
    const problem = unstorable[i];
    if (problem) return { ok: false, error: problem };
    if (created[i]) return { ok: true, value: { record: s.record, created: true } };
    const key = s.record.idempotencyKey;
    const record = key === null ? undefined : earlier.get(idempotencyKeyOf(s.record.job.tenantId, key));
    return record
      ? { ok: true, value: { record, created: false } }
      : { ok: false, error: new DuplicateJobError(s.record.job.id) };
  });
}

/**
 * Inserts the jobs that take no used id or idempotency key and returns their ids. No conflict target, so
 * either conflict leaves the row out without an error that would abort the transaction. Rows go in in
 * input order, so of two submissions in one group with the same id or key, the first is written. One
 * array parameter per column keeps the statement text the same for any group size.
 */
async function insertJobs(trx: Transaction<Database>, records: readonly JobRecord[]): Promise<Set<string>> {
  const column = <T>(pick: (r: JobRecord) => T) => records.map(pick);
  const { rows } = await sql<{ id: string }>`
    insert into jobs (id, tenant_id, spec, submitted_at_ms, state, submitted_by, idempotency_key,
      started_at_ms, ended_at_ms, allocation, restarts, gpu_seconds_used, version)
    select id, tenant_id, spec::jsonb, submitted_at_ms, state, submitted_by, idempotency_key,
      started_at_ms, ended_at_ms, allocation::jsonb, restarts, gpu_seconds_used, version
    from unnest(
      ${column((r) => r.job.id)}::text[], ${column((r) => r.job.tenantId)}::text[],
      ${column((r) => JSON.stringify(r.job))}::text[], ${column((r) => r.job.submittedAtMs)}::int8[],
      ${column((r) => r.state)}::text[], ${column((r) => r.submittedBy)}::text[],
      ${column((r) => r.idempotencyKey)}::text[], ${column((r) => r.startedAtMs)}::int8[],
      ${column((r) => r.endedAtMs)}::int8[],
      ${column((r) => (r.allocation === null ? null : JSON.stringify(r.allocation)))}::text[],
      ${column((r) => r.restarts)}::int4[], ${column((r) => r.gpuSecondsUsed)}::float8[],
      ${column((r) => r.version)}::int4[]
    ) with ordinality as v(id, tenant_id, spec, submitted_at_ms, state, submitted_by, idempotency_key,
      started_at_ms, ended_at_ms, allocation, restarts, gpu_seconds_used, version, position)
    order by position
    on conflict do nothing
    returning id`.execute(trx);
  return new Set(rows.map((r) => r.id));
}

function unstorableProblem(submission: Submission): Error | null {
  try {
    assertStorable(submission.record.job);
    assertStorable(submission.record.idempotencyKey);
    return null;
  } catch (err) {
    return err as Error;
  }
}

function idempotencyKeyOf(tenantId: string, key: string): string {
  return JSON.stringify([tenantId, key]);
}
