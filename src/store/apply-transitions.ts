// Writes a batch of job transitions in one transaction with a fixed number of statements however large
// the batch: lock the jobs, plan in memory, then one statement each for job rows, released GPUs, claimed
// GPUs, runs and the audit entries. Column arrays go through unnest() as single parameters.
import { sql, type Transaction } from "kysely";
import { appendAuditIn } from "./audit-append.ts";
import type { JobRecord } from "./records.ts";
import { jobRecordOf } from "./rows.ts";
import type { Database } from "./schema.ts";
import type { JobTransition, TransitionOutcome } from "./store.ts";
import { GpuAlreadyHeldError } from "./store-errors.ts";
import { type GpuClaim, planTransitions, type TransitionPlan } from "./transition-plan.ts";

export async function applyTransitionsIn(
  trx: Transaction<Database>,
  transitions: readonly JobTransition[],
): Promise<TransitionOutcome> {
  const ids = [...new Set(transitions.map((t) => t.jobId))];
  // Locked in id order, so two batches naming the same jobs cannot deadlock.
  const rows = await trx
    .selectFrom("jobs")
    .selectAll()
    .where(sql<boolean>`id = any(${ids}::text[])`)
    .orderBy("id")
    .forUpdate()
    .execute();
  const current = new Map<string, JobRecord>(rows.map((row) => [row.id, jobRecordOf(row)]));
  const plan = planTransitions(current, transitions);
  await writeJobs(trx, plan.changed);
  if (plan.releasedJobIds.length > 0)
    await sql`delete from gpu_allocations where job_id = any(${plan.releasedJobIds}::text[])`.execute(trx);
  await claimGpus(trx, plan.claims);
  await writeRuns(trx, plan);
  await appendAuditIn(trx, plan.audit);
  return plan.outcome;
}

async function writeJobs(trx: Transaction<Database>, records: readonly JobRecord[]): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (r: JobRecord) => T) => records.map(pick);
  await sql`
    update jobs set
      state = v.state, started_at_ms = v.started_at_ms, ended_at_ms = v.ended_at_ms,
      allocation = v.allocation::jsonb, cluster_gpus = v.cluster_gpus::jsonb, restarts = v.restarts, gpu_seconds_used = v.gpu_seconds_used,
      version = v.version
    from unnest(
      ${column((r) => r.job.id)}::text[], ${column((r) => r.state)}::text[],
      ${column((r) => r.startedAtMs)}::int8[], ${column((r) => r.endedAtMs)}::int8[],
      ${column((r) => (r.allocation === null ? null : JSON.stringify(r.allocation)))}::text[],
      ${column((r) => (r.clusterGpus === null ? null : JSON.stringify(r.clusterGpus)))}::text[],
      ${column((r) => r.restarts)}::int4[], ${column((r) => r.gpuSecondsUsed)}::float8[],
      ${column((r) => r.version)}::int4[]
    ) as v(id, state, started_at_ms, ended_at_ms, allocation, cluster_gpus, restarts, gpu_seconds_used, version)
    where jobs.id = v.id`.execute(trx);
}

/** Inserts the GPU rows; one already held by a job outside the batch aborts the whole transaction. */
async function claimGpus(trx: Transaction<Database>, claims: readonly GpuClaim[]): Promise<void> {
  if (claims.length === 0) return;
  const inserted = await sql<{ node_id: string; gpu_index: number }>`
    insert into gpu_allocations (node_id, gpu_index, job_id)
    select * from unnest(
      ${claims.map((c) => c.nodeId)}::text[], ${claims.map((c) => c.gpuIndex)}::int4[],
      ${claims.map((c) => c.jobId)}::text[]
    )
    on conflict do nothing
    returning node_id, gpu_index`.execute(trx);
  if (inserted.rows.length === claims.length) return;
  const got = new Set(inserted.rows.map((r) => `${r.node_id}/${r.gpu_index}`));
  const refused = claims.find((c) => !got.has(`${c.nodeId}/${c.gpuIndex}`))!;
  const holder = await trx
    .selectFrom("gpu_allocations")
    .select("job_id")
    .where("node_id", "=", refused.nodeId)
    .where("gpu_index", "=", refused.gpuIndex)
    .executeTakeFirstOrThrow();
  throw new GpuAlreadyHeldError(refused.jobId, refused.nodeId, refused.gpuIndex, holder.job_id);
}

async function writeRuns(trx: Transaction<Database>, plan: TransitionPlan): Promise<void> {
  const { startedRuns: started, endedRuns: ended } = plan;
  if (ended.length > 0)
    await sql`
      update job_runs set ended_at_ms = v.ended_at_ms
      from unnest(
        ${ended.map((r) => r.jobId)}::text[], ${ended.map((r) => r.run)}::int4[],
        ${ended.map((r) => r.endedAtMs)}::int8[]
      ) as v(job_id, run, ended_at_ms)
      where job_runs.job_id = v.job_id and job_runs.run = v.run`.execute(trx);
  if (started.length > 0)
    await sql`
      insert into job_runs (job_id, run, tenant_id, site_id, gpus, started_at_ms, ended_at_ms)
      select * from unnest(
        ${started.map((r) => r.jobId)}::text[], ${started.map((r) => r.run)}::int4[],
        ${started.map((r) => r.tenantId)}::text[], ${started.map((r) => r.siteId)}::text[],
        ${started.map((r) => r.gpus)}::int4[],
        ${started.map((r) => r.startedAtMs)}::int8[], ${started.map((r) => r.endedAtMs)}::int8[]
      )`.execute(trx);
}
