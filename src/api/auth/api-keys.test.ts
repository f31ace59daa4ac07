import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApiKey, parseApiKey, verifyApiKey } from "./api-keys.ts";

const AT_MS = Date.parse("2026-12-01T00:00:00Z");
// Each case runs scrypt once, so this takes a fiftieth of the usual property runs.
const RUNS = Math.max(20, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 50);

describe("API keys", () => {
  it("returns the key once and stores only a salted scrypt hash that carries its parameters", () => {
    const { key, record } = createApiKey({
      tenantId: "aurora-labs",
      role: "tenant-admin",
      name: "ci",
      atMs: AT_MS,
    });
    const parts = parseApiKey(key);
    expect(parts?.keyId).toBe(record.id);
    expect(record.id).toMatch(/^key_[0-9a-z]{26}$/);
    expect(record.secretHash).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(record.secretHash).not.toContain(parts!.secret);
    expect(record).toMatchObject({
      tenantId: "aurora-labs",
      role: "tenant-admin",
      name: "ci",
      rateLimitPerMin: null,
      createdAtMs: AT_MS,
      revokedAtMs: null,
    });
  });

  it("gives two keys made at the same instant different ids, secrets and salts", () => {
    const a = createApiKey({ tenantId: null, role: "operator", name: "a", atMs: AT_MS });
    const b = createApiKey({ tenantId: null, role: "operator", name: "b", atMs: AT_MS });
    expect(a.record.id).not.toBe(b.record.id);
    expect(a.key).not.toBe(b.key);
    expect(a.record.secretHash.split("$")[3]).not.toBe(b.record.secretHash.split("$")[3]);
  });

  it("verifies its own key and refuses another key's secret, a revoked key and malformed text", async () => {
    const a = createApiKey({ tenantId: null, role: "operator", name: "a", atMs: AT_MS });
    const b = createApiKey({ tenantId: null, role: "operator", name: "b", atMs: AT_MS });
    expect(await verifyApiKey(a.key, a.record)).toBe(true);
    expect(await verifyApiKey(b.key, a.record)).toBe(false);
    const secretOfB = parseApiKey(b.key)!.secret;
    expect(await verifyApiKey(`fjk_${a.record.id}_${secretOfB}`, a.record)).toBe(false);
    expect(await verifyApiKey(a.key, { ...a.record, revokedAtMs: AT_MS })).toBe(false);
    expect(await verifyApiKey("not a key", a.record)).toBe(false);
  });

  it("refuses every key that differs from the real one in a single character of its secret", async () => {
    const { key, record } = createApiKey({
      tenantId: "sisu-ai",
      role: "tenant-member",
      name: "m",
      atMs: AT_MS,
    });
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const secretStart = key.length - 43;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 42 }), fc.constantFrom(...alphabet), async (offset, replacement) => {
        const i = secretStart + offset;
        fc.pre(key[i] !== replacement);
        const forged = key.slice(0, i) + replacement + key.slice(i + 1);
        expect(await verifyApiKey(forged, record)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("parses only the fjk_<key id>_<secret> form", () => {
    expect(parseApiKey("fjk_key_0000000000aaaaaaaaaaaaaaaa_" + "A".repeat(43))).toEqual({
      keyId: "key_0000000000aaaaaaaaaaaaaaaa",
      secret: "A".repeat(43),
    });
    for (const bad of [
      "",
      "fjk_",
      "Bearer x",
      "fjk_key_short_" + "A".repeat(43),
      "fjk_key_0000000000aaaaaaaaaaaaaaaa_short",
    ])
      expect(parseApiKey(bad)).toBeNull();
  });
});
