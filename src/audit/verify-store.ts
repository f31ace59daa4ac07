// Verifies a store's whole audit log a page at a time, so memory stays flat however long the log is, and
// compares the end of the walk with the chain head. Safe while others append: the head is read after the
// walk, every entry it covers is committed by then, and the walk is completed up to it before comparing.
import { AUDIT_HEAD_KEY } from "../store/audit-append.ts";
import type { Store } from "../store/store.ts";
import { type ChainHead, type ChainProblem, type ChainVerdict, ChainWalker } from "./hash-chain.ts";

export const DEFAULT_VERIFY_PAGE_SIZE = 1000;

export async function verifyStoreChain(
  store: Store,
  pageSize: number = DEFAULT_VERIFY_PAGE_SIZE,
): Promise<ChainVerdict> {
  const walker = new ChainWalker();
  const problem =
    (await walk(store, walker, pageSize, Number.POSITIVE_INFINITY)) ??
    (await compareHead(store, walker, pageSize));
  return problem ? { ok: false, problem } : { ok: true, entries: walker.entries, head: walker.position };
}

async function compareHead(
  store: Store,
  walker: ChainWalker,
  pageSize: number,
): Promise<ChainProblem | null> {
  const head = await store.getValue<ChainHead>(AUDIT_HEAD_KEY);
  if (head === null)
    return {
      seq: walker.position.seq,
      kind: "head-mismatch",
      reason: `the chain head (kv key ${AUDIT_HEAD_KEY}) is missing, so entries cut off the end would go unnoticed`,
    };
  // Entries appended since the walk reached the end are committed now; take them in before comparing.
  return (await walk(store, walker, pageSize, head.seq)) ?? walker.endAt(head);
}

/** Feeds entries after the walker's position, up to `untilSeq`, until the log ends or a problem shows. */
async function walk(
  store: Store,
  walker: ChainWalker,
  pageSize: number,
  untilSeq: number,
): Promise<ChainProblem | null> {
  for (;;) {
    const limit = Math.min(pageSize, untilSeq - walker.position.seq);
    if (limit <= 0) return null;
    const page = await store.auditRange(walker.position.seq + 1, limit);
    for (const entry of page) {
      const problem = walker.next(entry);
      if (problem) return problem;
    }
    if (page.length < limit) return null;
  }
}
