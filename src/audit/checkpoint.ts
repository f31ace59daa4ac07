// A signed checkpoint of the audit chain's head, kept outside the database. The chain and the head in kv
// show any change to the log, except one made consistently by someone who can write the database: cutting
// the tail and rewinding the head, or rewriting every entry and recomputing every hash. A checkpoint — the
// head's seq and hash, signed with an Ed25519 key kept away from the database — shows both, since the log
// must still hold that entry with that hash, and nobody without the key can sign a checkpoint of their own.
import { createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./canonical-json.ts";
import type { ChainHead } from "./hash-chain.ts";

/** The `format` of every checkpoint; a later format gets a new number. */
export const CHECKPOINT_FORMAT = "fjord-audit-checkpoint/1";

const PUBLIC_KEY_PREFIX = "ed25519:";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hexadecimal digits");

/** One checkpoint as written: one JSON object (one line of a checkpoint file). */
export const checkpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    /** The hash of entry 1: which chain (which database's log) this is a checkpoint of. */
    chain: hex64,
    /** The head: the last entry's seq and hash when the checkpoint was taken. */
    seq: z.number().int().positive(),
    hash: hex64,
    /** When the checkpoint was taken, by the clock of the host that took it. */
    at: z.iso.datetime(),
    /** The database it was taken of, as `fjord audit verify` names it; for people, not checked. */
    database: z.string(),
    /** The key that signed it, `ed25519:` and the raw key in base64url. */
    publicKey: z
      .string()
      .regex(/^ed25519:[A-Za-z0-9_-]{43}$/, "must be ed25519: and 43 base64url characters"),
    /** Ed25519 signature (base64url) of the canonical JSON of every other field. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "must be 86 base64url characters"),
  })
  .strict();

export type Checkpoint = z.output<typeof checkpointSchema>;

export interface CheckpointSubject {
  /** The hash of entry 1. */
  chain: string;
  head: ChainHead;
  atMs: number;
  database: string;
}

export function signCheckpoint(subject: CheckpointSubject, privateKey: KeyObject): Checkpoint {
  const unsigned = {
    format: CHECKPOINT_FORMAT,
    chain: subject.chain,
    seq: subject.head.seq,
    hash: subject.head.hash,
    at: new Date(subject.atMs).toISOString(),
    database: subject.database,
    publicKey: publicKeyText(createPublicKey(privateKey)),
  } as const;
  const signature = sign(null, Buffer.from(canonicalJson(unsigned)), privateKey).toString("base64url");
  return { ...unsigned, signature };
}

/** Whether `checkpoint` was signed, exactly as it reads, by the private half of `publicKey`. */
export function signatureHolds(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  const { signature, ...unsigned } = checkpoint;
  return verify(null, Buffer.from(canonicalJson(unsigned)), publicKey, Buffer.from(signature, "base64url"));
}

/** `ed25519:` and the raw 32-byte public key in base64url: short enough to print, paste and compare. */
export function publicKeyText(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: "jwk" });
  return `${PUBLIC_KEY_PREFIX}${x}`;
}

/** The key of an `ed25519:…` text; null when the text is not one. */
export function publicKeyFromText(text: string): KeyObject | null {
  if (!/^ed25519:[A-Za-z0-9_-]{43}$/.test(text)) return null;
  try {
    return createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: text.slice(PUBLIC_KEY_PREFIX.length) },
      format: "jwk",
    });
  } catch {
    return null;
  }
}
