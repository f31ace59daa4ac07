// Server-assigned ids: a prefix, then a ULID in lower case (48-bit time in ms, 80 random bits, Crockford
// base32). Ids of one kind sort by creation time, and two servers never make the same one.
import { randomFillSync } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;
/**
 * Random bytes drawn from the system generator 4 KiB at a time: one call per id cost more than the rest
 * of the id under a burst of submissions. Each byte is used once.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomSlice(): Buffer {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += RANDOM_BYTES;
  return pool.subarray(poolOffset - RANDOM_BYTES, poolOffset);
}

/** E.g. `job_01jf3k8a9s7q2w4e6r8t0y1u3i`; `atMs` must be within 0…2^48 − 1. */
export function newId(prefix: string, atMs: number): string {
  if (!Number.isSafeInteger(atMs) || atMs < 0 || atMs >= 2 ** 48)
    throw new RangeError(`atMs out of range: ${atMs}`);
  let time = "";
  let rest = atMs;
  for (let i = 0; i < TIME_CHARS; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  return `${prefix}_${time}${encodeRandom(randomSlice())}`;
}

/** 80 bits → 16 base32 characters, 5 bits at a time. */
function encodeRandom(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    // Only the low `bits` bits are still to be written; keep no more than those.
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
