// Verifies the audit log against signed checkpoints kept outside the database. Every checkpoint must be
// signed by the operator's key, and the log must still hold each checkpointed head: an entry at that seq
// with that hash, in a chain that verifies from entry 1 to the current head. Because each hash covers every
// entry before it, one checkpoint vouches for the whole log up to its seq; a log that ends before it was
// cut, and one that holds another hash there was rewritten (or cut and grown again).
import type { KeyObject } from "node:crypto";
import type { AuditEntry } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { publicKeyText, signatureHolds } from "./checkpoint.ts";
import type { CheckpointLine } from "./checkpoint-file.ts";
import { type ChainHead, type ChainProblem, ChainWalker, shortHash } from "./hash-chain.ts";
import { continueVerifying, DEFAULT_VERIFY_PAGE_SIZE } from "./verify-store.ts";

export type CheckpointProblemKind =
  /** Signed by a key other than the one given. */
  | "other-key"
  /** The signature does not match the checkpoint's content: altered, or made up without the key. */
  | "forged"
  /** Entry 1 is not the one the checkpoint's chain starts with: the whole log was replaced. */
  | "other-chain"
  /** The entry at the checkpoint's seq has another hash: the log up to it was rewritten. */
  | "rewritten"
  /** The log ends before the checkpoint's seq: its tail was cut. */
  | "cut";

export interface CheckpointProblem {
  /** The checkpoint's seq (the first entry missing, for a cut). */
  seq: number;
  kind: CheckpointProblemKind;
  reason: string;
  /** The checkpoint's line in its file. */
  line: number;
}

export type AnchoredVerdict =
  | {
      ok: true;
      entries: number;
      head: ChainHead;
      /** How many checkpoints the log holds, and the one of the longest log. */
      checkpoints: { count: number; newest: CheckpointLine };
    }
  | { ok: false; problem: ChainProblem | CheckpointProblem };

export async function verifyWithCheckpoints(
  store: Store,
  lines: readonly CheckpointLine[],
  publicKey: KeyObject,
  pageSize: number = DEFAULT_VERIFY_PAGE_SIZE,
): Promise<AnchoredVerdict> {
  if (lines.length === 0) throw new Error("verifyWithCheckpoints: no checkpoints to verify against");
  const signed = signatureProblem(lines, publicKey);
  if (signed) return { ok: false, problem: signed };
  const verdict = await continueVerifying(store, new ChainWalker(), pageSize, anchorCheck(lines));
  if (!verdict.ok) return verdict;
  const newest = newestOf(lines);
  if (newest.checkpoint.seq > verdict.head.seq)
    return { ok: false, problem: cutProblem(newest, verdict.head) };
  return { ...verdict, checkpoints: { count: lines.length, newest } };
}

function signatureProblem(lines: readonly CheckpointLine[], publicKey: KeyObject): CheckpointProblem | null {
  const expected = publicKeyText(publicKey);
  for (const { line, checkpoint } of lines) {
    if (checkpoint.publicKey !== expected)
      return {
        seq: checkpoint.seq,
        kind: "other-key",
        line,
        reason: `the checkpoint on line ${line} says it was signed by ${checkpoint.publicKey}, not by the given key ${expected}`,
      };
    if (!signatureHolds(checkpoint, publicKey))
      return {
        seq: checkpoint.seq,
        kind: "forged",
        line,
        reason: `the checkpoint on line ${line} does not match its signature: it was altered, or made without the signing key`,
      };
  }
  return null;
}

/** Checks each entry the walk accepts against every checkpoint of its seq (and entry 1 against all). */
function anchorCheck(lines: readonly CheckpointLine[]): (entry: AuditEntry) => CheckpointProblem | null {
  const bySeq = new Map<number, CheckpointLine[]>();
  for (const line of lines) {
    const same = bySeq.get(line.checkpoint.seq);
    if (same === undefined) bySeq.set(line.checkpoint.seq, [line]);
    else same.push(line);
  }
  return (entry) => {
    if (entry.seq === 1)
      for (const { line, checkpoint } of lines)
        if (checkpoint.chain !== entry.hash)
          return {
            seq: 1,
            kind: "other-chain",
            line,
            reason:
              `entry 1 has hash ${shortHash(entry.hash)}, but the checkpoint on line ${line} (${checkpoint.at}) is of a ` +
              `chain whose entry 1 has hash ${shortHash(checkpoint.chain)}: the whole log was replaced, or the ` +
              `checkpoint is of another database`,
          };
    for (const { line, checkpoint } of bySeq.get(entry.seq) ?? [])
      if (checkpoint.hash !== entry.hash)
        return {
          seq: entry.seq,
          kind: "rewritten",
          line,
          reason:
            `entry ${entry.seq} has hash ${shortHash(entry.hash)}, but the checkpoint on line ${line} ` +
            `(${checkpoint.at}) recorded ${shortHash(checkpoint.hash)}: the log up to entry ${entry.seq} was ` +
            `rewritten, or its tail was cut and new entries appended`,
        };
    return null;
  };
}

function cutProblem({ line, checkpoint }: CheckpointLine, head: ChainHead): CheckpointProblem {
  const first = head.seq + 1;
  const missing = first === checkpoint.seq ? `entry ${first} was` : `entries ${first}–${checkpoint.seq} were`;
  return {
    seq: first,
    kind: "cut",
    line,
    reason:
      `the log ends at entry ${head.seq}, but the checkpoint on line ${line} (${checkpoint.at}) recorded ` +
      `entry ${checkpoint.seq}: ${missing} cut off the end (and the chain head rewound)`,
  };
}

/** The checkpoint of the longest log; of equals, the last in the file. */
function newestOf(lines: readonly CheckpointLine[]): CheckpointLine {
  return lines.reduce((newest, line) => (line.checkpoint.seq >= newest.checkpoint.seq ? line : newest));
}
