// Records ↔ table rows. The database is Fjord's own and written only through these, so rows are trusted
// as they come back (no validation on every read); text PostgreSQL cannot keep is refused on the way in.
import type { Insertable, Selectable } from "kysely";
import type { Tenant } from "../model/types.ts";
import type { ApiKeyRecord, AuditEntry, JobRecord, TenantRecord } from "./records.ts";
import type { ApiKeysTable, AuditLogTable, JobsTable, TenantsTable } from "./schema.ts";
import { assertStorable } from "./store-errors.ts";

export function tenantRow(tenant: Tenant, createdAtMs: number): Insertable<TenantsTable> {
  assertStorable(tenant);
  return {
    id: tenant.id,
    name: tenant.name,
    tier_id: tenant.tierId,
    weight: tenant.weight,
    quota_gpus: tenant.quotaGpus,
    quota_mode: tenant.quotaMode ?? "hard",
    org_number: tenant.orgNumber,
    country: tenant.country,
    created_at_ms: createdAtMs,
  };
}

export function tenantRecordOf(row: Selectable<TenantsTable>): TenantRecord {
  return {
    id: row.id,
    name: row.name,
    tierId: row.tier_id,
    weight: row.weight,
    quotaGpus: row.quota_gpus,
    // Absent means hard in the model, so a hard quota reads back as the policy file states it.
    ...(row.quota_mode === "borrowable" ? { quotaMode: row.quota_mode } : {}),
    orgNumber: row.org_number,
    country: row.country,
    createdAtMs: row.created_at_ms,
  };
}

export function apiKeyRow(key: ApiKeyRecord): Insertable<ApiKeysTable> {
  assertStorable(key);
  return {
    id: key.id,
    tenant_id: key.tenantId,
    role: key.role,
    name: key.name,
    secret_hash: key.secretHash,
    rate_limit_per_min: key.rateLimitPerMin,
    created_at_ms: key.createdAtMs,
    revoked_at_ms: key.revokedAtMs,
  };
}

export function apiKeyRecordOf(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role,
    name: row.name,
    secretHash: row.secret_hash,
    rateLimitPerMin: row.rate_limit_per_min,
    createdAtMs: row.created_at_ms,
    revokedAtMs: row.revoked_at_ms,
  };
}

export function jobRecordOf(row: Selectable<JobsTable>): JobRecord {
  return {
    job: row.spec,
    state: row.state,
    submittedBy: row.submitted_by,
    idempotencyKey: row.idempotency_key,
    startedAtMs: row.started_at_ms,
    endedAtMs: row.ended_at_ms,
    allocation: row.allocation,
    clusterGpus: row.cluster_gpus,
    restarts: row.restarts,
    gpuSecondsUsed: row.gpu_seconds_used,
    version: row.version,
  };
}

export function auditEntryOf(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    atMs: row.at_ms,
    actor: row.actor,
    action: row.action,
    tenantId: row.tenant_id,
    objectType: row.object_type,
    objectId: row.object_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
