// A seeded 32-bit hash of a string, for stable assignments that depend on a name and not on input order
// (a trace task keeps its tenant when rows are added or removed around it). Not cryptographic.

/** FNV-1a over UTF-16 code units, seeded through the offset basis, then murmur3's finaliser to spread bits. */
export function hashString(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
