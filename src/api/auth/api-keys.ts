// API keys: `fjk_<keyId>_<secret>`. The key id is public (it finds the record); the secret is 32 random bytes
// shown once and stored only as an scrypt hash in PHC string form (`$scrypt$ln=14,r=8,p=1$<salt>$<hash>`),
// so the parameters travel with the hash and can be raised later without breaking older keys.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import type { ApiKeyRecord, Role } from "../../store/records.ts";
import { newId } from "../ids.ts";

const KEY_PATTERN = /^fjk_(key_[0-9a-z]{26})_([A-Za-z0-9_-]{43})$/;
const HASH_PATTERN = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

// A 256-bit random secret cannot be guessed, so scrypt here guards a leaked key table against offline
// checking, not weak passwords; 2^14 keeps a cold verification in the tens of milliseconds.
const COST_LOG2 = 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const SECRET_BYTES = 32;

export interface NewApiKey {
  tenantId: string | null;
  role: Role;
  name: string;
  atMs: number;
  /** Requests per minute; null or omitted = the server default. */
  rateLimitPerMin?: number | null;
}

/** Makes a key: `key` is the only copy of the secret (give it to its owner), `record` is what to store. */
export function createApiKey(input: NewApiKey): { key: string; record: ApiKeyRecord } {
  const id = newId("key", input.atMs);
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(secret, salt, HASH_BYTES, scryptOptions(COST_LOG2, BLOCK_SIZE, PARALLELISM));
  return {
    key: `fjk_${id}_${secret}`,
    record: {
      id,
      tenantId: input.tenantId,
      role: input.role,
      name: input.name,
      secretHash: `$scrypt$ln=${COST_LOG2},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString("base64url")}$${hash.toString("base64url")}`,
      rateLimitPerMin: input.rateLimitPerMin ?? null,
      createdAtMs: input.atMs,
      revokedAtMs: null,
    },
  };
}

/** Splits a presented key into its id and secret; null when it is not shaped like a Fjord key. */
export function parseApiKey(presented: string): { keyId: string; secret: string } | null {
  const match = KEY_PATTERN.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : null;
}

/**
 * True when `presented` is this record's key and the key is not revoked. The hashes are compared in
 * constant time. A stored hash that is not in the format above is a broken record and throws.
 */
export async function verifyApiKey(presented: string, record: ApiKeyRecord): Promise<boolean> {
  const parts = parseApiKey(presented);
  if (parts === null || parts.keyId !== record.id || record.revokedAtMs !== null) return false;
  const stored = HASH_PATTERN.exec(record.secretHash);
  if (stored === null) throw new Error(`API key ${record.id} has a secret hash Fjord cannot read`);
  const [, ln, r, p, salt, hash] = stored;
  const expected = Buffer.from(hash!, "base64url");
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      parts.secret,
      Buffer.from(salt!, "base64url"),
      expected.length,
      scryptOptions(Number(ln), Number(r), Number(p)),
      (err, derived) => (err ? reject(err) : resolve(derived)),
    ),
  );
  return timingSafeEqual(actual, expected);
}

function scryptOptions(costLog2: number, blockSize: number, parallelism: number) {
  const N = 2 ** costLog2;
  // Node refuses scrypt above 32 MiB by default; allow what these parameters need (128 · N · r bytes) and more.
  return { N, r: blockSize, p: parallelism, maxmem: 256 * N * blockSize };
}
