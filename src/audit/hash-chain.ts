// The audit log's hash chain. Each entry's hash covers the previous entry's hash and its own content, so
// changing, inserting or removing an entry anywhere breaks every link after it. A chain alone cannot show
// that entries were cut off its end, so the store also keeps the chain head (last seq and hash), written in
// the same transaction as every append; verification compares the end of the walk with it.
import { createHash } from "node:crypto";
import type { AuditDraft, AuditEntry } from "../store/records.ts";
import { canonicalJson } from "./canonical-json.ts";

/** prevHash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** Where the chain ends: the last entry's seq and hash; seq 0 and GENESIS_HASH for an empty log. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH };

export type ChainProblemKind =
  /** The entry's content no longer matches its hash: it was changed after it was written. */
  | "altered"
  /** The entry's prevHash is not the previous entry's hash: an entry was inserted or replaced before it. */
  | "link-broken"
  /** An entry is not there: removed from the middle, or (seen through the head) from the end. */
  | "missing"
  /** Entries not in increasing seq order: the input is not a walk of the log. */
  | "out-of-order"
  /** Entries beyond the recorded head: appended without going through the store. */
  | "beyond-head"
  /** The last entry's hash is not the one the head recorded: the last entry was changed and re-hashed. */
  | "head-mismatch";

export interface ChainProblem {
  /** The first seq at which the log is not what was written. */
  seq: number;
  kind: ChainProblemKind;
  reason: string;
}

export type ChainVerdict =
  | { ok: true; entries: number; head: ChainHead }
  | { ok: false; problem: ChainProblem };

/** The hashed content of an entry: everything but the hashes themselves. */
export function entryHash(prevHash: string, entry: Omit<AuditEntry, "prevHash" | "hash">): string {
  const content = canonicalJson({
    seq: entry.seq,
    atMs: entry.atMs,
    actor: entry.actor,
    action: entry.action,
    tenantId: entry.tenantId,
    objectType: entry.objectType,
    objectId: entry.objectId,
    details: entry.details,
  });
  return createHash("sha256").update(prevHash).update(content).digest("hex");
}

/**
 * Numbers and hashes drafts as the entries that follow `head`. Details are returned as their JSON form,
 * exactly as a later read from the database gives them back, with `detailsJson` the text to store.
 */
export function sealDrafts(
  head: ChainHead,
  drafts: readonly AuditDraft[],
): { entries: (AuditEntry & { detailsJson: string })[]; head: ChainHead } {
  let last = head;
  const entries = drafts.map((draft) => {
    const detailsJson = canonicalJson(draft.details);
    const unhashed = {
      seq: last.seq + 1,
      atMs: draft.atMs,
      actor: draft.actor,
      action: draft.action,
      tenantId: draft.tenantId,
      objectType: draft.objectType,
      objectId: draft.objectId,
      details: JSON.parse(detailsJson) as Record<string, unknown>,
    };
    const hash = entryHash(last.hash, unhashed);
    const entry = { ...unhashed, prevHash: last.hash, hash, detailsJson };
    last = { seq: entry.seq, hash };
    return entry;
  });
  return { entries, head: last };
}

/** Checks entries one at a time in seq order, so a log of any length can be verified page by page. */
export class ChainWalker {
  private last: ChainHead = EMPTY_CHAIN;
  private seen = 0;

  /** The last entry accepted so far. */
  get position(): ChainHead {
    return this.last;
  }

  get entries(): number {
    return this.seen;
  }

  /** The problem with the next entry, or null when it continues the chain (it is then accepted). */
  next(entry: AuditEntry): ChainProblem | null {
    const expectedSeq = this.last.seq + 1;
    if (entry.seq < expectedSeq)
      return {
        seq: entry.seq,
        kind: "out-of-order",
        reason: `entry ${entry.seq} comes after entry ${this.last.seq}; entries must be in increasing seq order`,
      };
    if (entry.seq > expectedSeq)
      return {
        seq: expectedSeq,
        kind: "missing",
        reason:
          entry.seq === expectedSeq + 1
            ? `entry ${expectedSeq} is missing: entry ${this.last.seq} is followed by entry ${entry.seq}`
            : `entries ${expectedSeq}–${entry.seq - 1} are missing: entry ${this.last.seq} is followed by entry ${entry.seq}`,
      };
    if (entry.prevHash !== this.last.hash)
      return {
        seq: entry.seq,
        kind: "link-broken",
        reason:
          `entry ${entry.seq} does not link to the entry before it: its prevHash ${shortHash(entry.prevHash)} is not ` +
          `${shortHash(this.last.hash)} (an entry before it was inserted or replaced)`,
      };
    if (entryHash(entry.prevHash, entry) !== entry.hash)
      return {
        seq: entry.seq,
        kind: "altered",
        reason: `entry ${entry.seq} does not match its hash ${shortHash(entry.hash)}: its content was changed after it was written`,
      };
    this.last = { seq: entry.seq, hash: entry.hash };
    this.seen += 1;
    return null;
  }

  /** Compares where the walk ended with the head recorded by the last append. */
  endAt(head: ChainHead): ChainProblem | null {
    const { seq, hash } = this.last;
    if (head.seq > seq)
      return {
        seq: seq + 1,
        kind: "missing",
        reason: `entry ${seq + 1} is missing: the chain head records entries up to ${head.seq}, the log ends at ${seq}`,
      };
    if (head.seq < seq)
      return {
        seq: head.seq + 1,
        kind: "beyond-head",
        reason: `entry ${head.seq + 1} was not appended through the store: the chain head ends at entry ${head.seq}, the log at ${seq}`,
      };
    if (head.hash !== hash)
      return {
        seq,
        kind: "head-mismatch",
        reason: `entry ${seq} has hash ${shortHash(hash)}, the chain head recorded ${shortHash(head.hash)}: the entry was changed and re-hashed`,
      };
    return null;
  }
}

/** Verifies entries given in seq order from seq 1; with `head`, also that none were cut off the end. */
export function verifyChain(entries: Iterable<AuditEntry>, head: ChainHead | null): ChainVerdict {
  const walker = new ChainWalker();
  for (const entry of entries) {
    const problem = walker.next(entry);
    if (problem) return { ok: false, problem };
  }
  const problem = head === null ? null : walker.endAt(head);
  return problem ? { ok: false, problem } : { ok: true, entries: walker.entries, head: walker.position };
}

/** The first 12 hex digits of a hash and an ellipsis, enough to tell hashes apart in a message. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
