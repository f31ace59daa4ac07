// Verifies a store's whole audit log a page at a time, so memory stays flat however long the log is, and
// compares the end of the walk with the chain head. Safe while others append: the head is read after the
// walk, every entry it covers is committed by then, and the walk is completed up to it before comparing.
import { AUDIT_HEAD_KEY } from "../store/audit-append.ts";
import type { AuditEntry } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { type ChainHead, type ChainProblem, type ChainVerdict, ChainWalker } from "./hash-chain.ts";

export const DEFAULT_VERIFY_PAGE_SIZE = 1000;

/** A further check of each entry that continues the chain: the problem it finds, or null. */
export type EntryCheck<P> = (entry: AuditEntry) => P | null;

export type StoreVerdict<P> =
  | { ok: true; entries: number; head: ChainHead }
  | { ok: false; problem: ChainProblem | P };

export async function verifyStoreChain(
  store: Store,
  pageSize: number = DEFAULT_VERIFY_PAGE_SIZE,
): Promise<ChainVerdict> {
  return continueVerifying<never>(store, new ChainWalker(), pageSize, () => null);
}

/**
 * Walks on from where `walker` stands to the end of the log, checks each entry with `check` too, and
 * compares the end with the head. A walker kept between calls verifies only what was appended since.
 */
export async function continueVerifying<P>(
  store: Store,
  walker: ChainWalker,
  pageSize: number,
  check: EntryCheck<P>,
): Promise<StoreVerdict<P>> {
  const problem =
    (await walk(store, walker, pageSize, Number.POSITIVE_INFINITY, check)) ??
    (await compareHead(store, walker, pageSize, check));
  return problem ? { ok: false, problem } : { ok: true, entries: walker.entries, head: walker.position };
}

async function compareHead<P>(
  store: Store,
  walker: ChainWalker,
  pageSize: number,
  check: EntryCheck<P>,
): Promise<ChainProblem | P | null> {
  const head = await store.getValue<ChainHead>(AUDIT_HEAD_KEY);
  if (head === null)
    return {
      seq: walker.position.seq,
      kind: "head-mismatch",
      reason: `the chain head (kv key ${AUDIT_HEAD_KEY}) is missing, so entries cut off the end would go unnoticed`,
    };
  // Entries appended since the walk reached the end are committed now; take them in before comparing.
  return (await walk(store, walker, pageSize, head.seq, check)) ?? walker.endAt(head);
}

/** Feeds entries after the walker's position, up to `untilSeq`, until the log ends or a problem shows. */
async function walk<P>(
  store: Store,
  walker: ChainWalker,
  pageSize: number,
  untilSeq: number,
  check: EntryCheck<P>,
): Promise<ChainProblem | P | null> {
  for (;;) {
    const limit = Math.min(pageSize, untilSeq - walker.position.seq);
    if (limit <= 0) return null;
    const page = await store.auditRange(walker.position.seq + 1, limit);
    for (const entry of page) {
      const problem = walker.next(entry) ?? check(entry);
      if (problem) return problem;
    }
    if (page.length < limit) return null;
  }
}
