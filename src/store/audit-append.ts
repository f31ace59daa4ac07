// Appending to the hash-chained audit log inside the caller's transaction. The chain head row in kv is
// read FOR UPDATE, so concurrent appenders queue on that one row lock until the holder commits or rolls
// back: the log stays one linear chain, and entries of a rolled-back transaction never existed. The lock
// is taken last, after the caller's other writes, so only the head read, the insert and the commit are
// serialised.
import { sql, type Transaction } from "kysely";
import { type ChainHead, sealDrafts } from "../audit/hash-chain.ts";
import type { AuditDraft, AuditEntry } from "./records.ts";
import type { Database } from "./schema.ts";

/** kv key of the chain head ({ seq, hash } of the last entry), written with every append. */
export const AUDIT_HEAD_KEY = "audit.head";

export async function appendAuditIn(
  trx: Transaction<Database>,
  drafts: readonly AuditDraft[],
): Promise<AuditEntry[]> {
  if (drafts.length === 0) return [];
  const headRow = await trx
    .selectFrom("kv")
    .select("value")
    .where("key", "=", AUDIT_HEAD_KEY)
    .forUpdate()
    .executeTakeFirst();
  if (!headRow)
    throw new Error(
      `the audit chain head (kv key ${AUDIT_HEAD_KEY}) is missing; the database was not set up by Fjord`,
    );
  const { entries, head } = sealDrafts(headRow.value as ChainHead, drafts);
  const column = <T>(pick: (e: (typeof entries)[number]) => T) => entries.map(pick);
  // The entries and the new head in one statement; one array parameter per column keeps the statement
  // text the same for any number of entries.
  await sql`
    with appended as (
      insert into audit_log (seq, at_ms, actor, action, tenant_id, object_type, object_id, details, prev_hash, hash)
      select seq, at_ms, actor, action, tenant_id, object_type, object_id, details::jsonb, prev_hash, hash
      from unnest(
        ${column((e) => e.seq)}::int8[], ${column((e) => e.atMs)}::int8[], ${column((e) => e.actor)}::text[],
        ${column((e) => e.action)}::text[], ${column((e) => e.tenantId)}::text[],
        ${column((e) => e.objectType)}::text[], ${column((e) => e.objectId)}::text[],
        ${column((e) => e.detailsJson)}::text[], ${column((e) => e.prevHash)}::text[],
        ${column((e) => e.hash)}::text[]
      ) as v(seq, at_ms, actor, action, tenant_id, object_type, object_id, details, prev_hash, hash)
    )
    update kv set value = ${JSON.stringify(head)}::jsonb where key = ${AUDIT_HEAD_KEY}`.execute(trx);
  return entries.map(({ detailsJson: _, ...entry }) => entry);
}
