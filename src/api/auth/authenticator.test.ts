import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/open-store.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { createApiKey } from "./api-keys.ts";
import { Authenticator, AuthThrottledError, DEFAULT_AUTHENTICATOR_OPTIONS } from "./authenticator.ts";

const AT_MS = Date.parse("2026-12-01T00:00:00Z");
let store: Store;

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, dataDir: null });
});
afterAll(() => store.close());

async function storedKey(
  role: ApiKeyRecord["role"],
  tenantId: string | null,
  rateLimitPerMin: number | null = null,
) {
  const made = createApiKey({ tenantId, role, name: "test", atMs: AT_MS, rateLimitPerMin });
  const audit = {
    atMs: AT_MS,
    actor: "system",
    action: "api-key.create",
    tenantId,
    objectType: "api-key",
    objectId: made.record.id,
    details: {},
  };
  await store.insertApiKey(made.record, audit);
  return made;
}

function revokeInStore(id: string) {
  return store.revokeApiKey(id, AT_MS, {
    atMs: AT_MS,
    actor: "system",
    action: "api-key.revoke",
    tenantId: null,
    objectType: "api-key",
    objectId: id,
    details: {},
  });
}

/** The store, counting the key lookups made through it. */
function countingLookups() {
  let lookups = 0;
  const counting: Store = Object.create(store, {
    getApiKey: {
      value: (id: string) => {
        lookups += 1;
        return store.getApiKey(id);
      },
    },
  });
  return { store: counting, lookups: () => lookups };
}

/** A clock the test moves by hand. */
function manualClock() {
  let nowMs = 0;
  return { nowMs: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

describe("Authenticator", () => {
  it("verifies a key once for a burst of concurrent first requests with it", async () => {
    const { key, record } = await storedKey("tenant-admin", "aurora-labs");
    const counting = countingLookups();
    const auth = new Authenticator(counting.store);
    const callers = await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(`Bearer ${key}`)));
    expect(callers.every((c) => c?.keyId === record.id)).toBe(true);
    expect(counting.lookups()).toBe(1);
  });

  it("turns a Bearer key into its caller, with the key's role, tenant and rate limit", async () => {
    const { key, record } = await storedKey("tenant-member", "aurora-labs", 30);
    const auth = new Authenticator(store);
    expect(await auth.authenticate(`Bearer ${key}`)).toEqual({
      keyId: record.id,
      role: "tenant-member",
      tenantId: "aurora-labs",
      rateLimitPerMin: 30,
    });
    expect(await auth.authenticate(`bearer  ${key}`)).not.toBeNull();
  });

  it("refuses a missing header, another scheme, a malformed key and a key the store does not have", async () => {
    const auth = new Authenticator(store);
    const unknown = createApiKey({ tenantId: null, role: "operator", name: "x", atMs: AT_MS }).key;
    for (const header of [undefined, "", "Basic abc", "Bearer", "Bearer fjk_nonsense", `Bearer ${unknown}`])
      expect(await auth.authenticate(header)).toBeNull();
  });

  it("trusts a verified key from memory until its entry expires, then asks the store again", async () => {
    const { key, record } = await storedKey("operator", null);
    const clock = manualClock();
    const auth = new Authenticator(store, {
      ...DEFAULT_AUTHENTICATOR_OPTIONS,
      cacheEntries: 100,
      nowMs: clock.nowMs,
    });
    expect(await auth.authenticate(`Bearer ${key}`)).not.toBeNull();
    // Revoked behind the authenticator's back: the remembered verification still answers, without the store.
    await revokeInStore(record.id);
    clock.advance(59_000);
    expect(await auth.authenticate(`Bearer ${key}`)).not.toBeNull();
    clock.advance(1_000);
    expect(await auth.authenticate(`Bearer ${key}`)).toBeNull();
  });

  it("forgets a key at once when told it was revoked", async () => {
    const { key, record } = await storedKey("tenant-admin", "sisu-ai");
    const auth = new Authenticator(store);
    expect(await auth.authenticate(`Bearer ${key}`)).not.toBeNull();
    await revokeInStore(record.id);
    auth.forget(record.id);
    expect(await auth.authenticate(`Bearer ${key}`)).toBeNull();
  });

  it("remembers at most the configured number of keys, dropping the oldest first", async () => {
    const first = await storedKey("operator", null);
    const second = await storedKey("operator", null);
    const auth = new Authenticator(store, {
      ...DEFAULT_AUTHENTICATOR_OPTIONS,
      cacheEntries: 1,
      nowMs: () => 0,
    });
    await auth.authenticate(`Bearer ${first.key}`);
    await auth.authenticate(`Bearer ${second.key}`);
    await revokeInStore(first.record.id);
    await revokeInStore(second.record.id);
    expect(await auth.authenticate(`Bearer ${first.key}`)).toBeNull();
    expect(await auth.authenticate(`Bearer ${second.key}`)).not.toBeNull();
  });
});

describe("failed checks from one address", () => {
  it("past the limit, refuses that address's unproven keys unchecked until its minute is over", async () => {
    const { key, record } = await storedKey("tenant-admin", "aurora-labs");
    const proven = await storedKey("operator", null);
    const wrongSecret = `${key.slice(0, -4)}AAAA`;
    const counting = countingLookups();
    const clock = manualClock();
    const auth = new Authenticator(counting.store, {
      ...DEFAULT_AUTHENTICATOR_OPTIONS,
      failuresPerAddressPerMin: 3,
      nowMs: clock.nowMs,
    });
    expect(await auth.authenticate(`Bearer ${proven.key}`, "10.0.0.1")).not.toBeNull();
    // A malformed key counts as a failure without a lookup; a wrong secret after one.
    expect(await auth.authenticate("Bearer fjk_nonsense", "10.0.0.1")).toBeNull();
    expect(await auth.authenticate(`Bearer ${wrongSecret}`, "10.0.0.1")).toBeNull();
    expect(await auth.authenticate(`Bearer ${wrongSecret}`, "10.0.0.1")).toBeNull();
    clock.advance(10_000);
    const lookupsBefore = counting.lookups();
    const refused = await auth.authenticate(`Bearer ${key}`, "10.0.0.1").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AuthThrottledError);
    expect((refused as AuthThrottledError).retryAfterS).toBe(50);
    expect(counting.lookups()).toBe(lookupsBefore);
    // A key the address already proved still works, and other addresses are not affected.
    expect((await auth.authenticate(`Bearer ${proven.key}`, "10.0.0.1"))?.keyId).toBe(proven.record.id);
    expect((await auth.authenticate(`Bearer ${key}`, "10.0.0.2"))?.keyId).toBe(record.id);
    clock.advance(50_000);
    expect((await auth.authenticate(`Bearer ${key}`, "10.0.0.1"))?.keyId).toBe(record.id);
  });

  it("counts checks still running once an address has failed, so a burst of guesses is cut short", async () => {
    const { key } = await storedKey("tenant-admin", "aurora-labs");
    const counting = countingLookups();
    const auth = new Authenticator(counting.store, {
      ...DEFAULT_AUTHENTICATOR_OPTIONS,
      failuresPerAddressPerMin: 3,
    });
    const guesses = Array.from(
      { length: 10 },
      (_, i) => `Bearer ${key.slice(0, -4)}${String(i).padStart(4, "A")}`,
    );
    // An address that has not failed may start many checks at once (many tenants behind one gateway)…
    const first = await Promise.allSettled(guesses.slice(0, 5).map((g) => auth.authenticate(g, "10.0.0.9")));
    expect(first.every((o) => o.status === "fulfilled" && o.value === null)).toBe(true);
    // …but once it has, the checks it starts count at once: five failures already, limit 3, none start.
    const second = await Promise.allSettled(guesses.slice(5).map((g) => auth.authenticate(g, "10.0.0.9")));
    expect(second.every((o) => o.status === "rejected")).toBe(true);
    expect(counting.lookups()).toBe(5);
    // From an address with one failure, a burst fills the limit of 3 with two more checks; the rest wait.
    expect(await auth.authenticate(guesses[0]!, "10.0.0.7")).toBeNull();
    const burst = await Promise.allSettled(guesses.slice(1).map((g) => auth.authenticate(g, "10.0.0.7")));
    expect(burst.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    expect(counting.lookups()).toBe(8);
    // Many requests with the same key share one check, and count once.
    const valid = await Promise.all(
      Array.from({ length: 10 }, () => auth.authenticate(`Bearer ${key}`, "10.0.0.8")),
    );
    expect(valid.every((c) => c !== null)).toBe(true);
  });
});
