// Bearer keys → principals. scrypt is slow on purpose, so a successful check is remembered for a short time
// under a SHA-256 digest of the presented key (never the key itself); revoking a key through the API drops
// its entries at once, and a key revoked elsewhere stops working when its entry expires. For the same
// reason failed checks are counted per client address: past a limit a minute, that address's keys are
// refused unchecked until the minute is over (keys it already proved stay good), so guessing secrets or
// making the server hash for nothing costs the guesser a minute per few tries.
import { createHash } from "node:crypto";
import type { Principal } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { parseApiKey, verifyApiKey } from "./api-keys.ts";

/** A principal with what the edge needs about its key beyond who it is. */
export interface Caller extends Principal {
  /** Requests per minute allowed to this key; null = the server default. */
  rateLimitPerMin: number | null;
}

export interface AuthenticatorOptions {
  /** How long a successful verification is trusted without asking the store again. */
  cacheTtlMs: number;
  /** Most keys remembered at once; the oldest entry goes first. */
  cacheEntries: number;
  /** Failed checks one client address may cause in a minute before its keys are refused unchecked. */
  failuresPerAddressPerMin: number;
  /** Real time for cache expiry (the control plane's clock may run faster). */
  nowMs: () => number;
}

export const DEFAULT_AUTHENTICATOR_OPTIONS: AuthenticatorOptions = {
  cacheTtlMs: 60_000,
  cacheEntries: 10_000,
  failuresPerAddressPerMin: 20,
  nowMs: Date.now,
};

const FAILURE_WINDOW_MS = 60_000;
/** Key checks one address may have running at once before it has failed any. */
const MAX_CHECKS_AT_ONCE = 256;

/** The client address has failed too often this minute; its keys are not checked until `retryAfterS`. */
export class AuthThrottledError extends Error {
  override readonly name = "AuthThrottledError";
  constructor(readonly retryAfterS: number) {
    super(`too many requests with keys that are not valid from this address; retry in ${retryAfterS} s`);
  }
}

interface FailureWindow {
  startMs: number;
  count: number;
}

interface CacheEntry {
  caller: Caller;
  expiresAtMs: number;
}

export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Caller | null>>();
  private readonly failures = new Map<string, FailureWindow>();
  /** Verifications an address has started that have not ended: they count against its limit too. */
  private readonly checking = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly options: AuthenticatorOptions = DEFAULT_AUTHENTICATOR_OPTIONS,
  ) {}

  /**
   * The caller behind an `Authorization` header value, or null for a missing, malformed, unknown or revoked
   * key. Throws AuthThrottledError when `address` has failed too often this minute.
   */
  async authenticate(authorization: string | undefined, address = "unknown"): Promise<Caller | null> {
    const presented = bearerToken(authorization);
    if (presented === null) return null;
    const nowMs = this.options.nowMs();
    const parts = parseApiKey(presented);
    if (parts === null) {
      this.noteFailure(address, nowMs);
      return null;
    }
    const digest = createHash("sha256").update(presented).digest("base64url");
    const cached = this.cache.get(digest);
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.caller;
    this.cache.delete(digest);
    this.checkThrottle(address, nowMs);
    // Concurrent first requests with the same key share one slow verification instead of one each.
    let pending = this.inFlight.get(digest);
    if (pending === undefined) {
      // Counted from the start, so many guesses sent at once cannot all get past the limit.
      this.checking.set(address, (this.checking.get(address) ?? 0) + 1);
      pending = this.verify(presented, parts.keyId, digest, nowMs).finally(() => {
        this.inFlight.delete(digest);
        const left = (this.checking.get(address) ?? 1) - 1;
        if (left > 0) this.checking.set(address, left);
        else this.checking.delete(address);
      });
      this.inFlight.set(digest, pending);
    }
    const caller = await pending;
    if (caller === null) this.noteFailure(address, nowMs);
    return caller;
  }

  /**
   * Refuses an address with too many failures this minute. Checks still running count too once the
   * address has failed at all, so a burst of guesses is cut short; an address that has not failed may
   * start up to MAX_CHECKS_AT_ONCE (many tenants' first requests arrive together through one gateway).
   */
  private checkThrottle(address: string, nowMs: number): void {
    const window = this.failures.get(address);
    const current = window !== undefined && nowMs - window.startMs < FAILURE_WINDOW_MS;
    const failed = current ? window.count : 0;
    const checking = this.checking.get(address) ?? 0;
    const limit = this.options.failuresPerAddressPerMin;
    if (failed === 0 ? checking < MAX_CHECKS_AT_ONCE : failed + checking < limit) return;
    const retryAfterS = current ? Math.ceil((window.startMs + FAILURE_WINDOW_MS - nowMs) / 1000) : 1;
    throw new AuthThrottledError(retryAfterS);
  }

  private noteFailure(address: string, nowMs: number): void {
    const window = this.failures.get(address);
    if (window !== undefined && nowMs - window.startMs < FAILURE_WINDOW_MS) {
      window.count += 1;
      return;
    }
    // Bounded memory under many addresses: windows that are over are dropped before a new one is kept.
    if (this.failures.size >= this.options.cacheEntries)
      for (const [a, w] of this.failures) if (nowMs - w.startMs >= FAILURE_WINDOW_MS) this.failures.delete(a);
    if (this.failures.size < this.options.cacheEntries)
      this.failures.set(address, { startMs: nowMs, count: 1 });
  }

  private async verify(
    presented: string,
    keyId: string,
    digest: string,
    nowMs: number,
  ): Promise<Caller | null> {
    const record = await this.store.getApiKey(keyId);
    if (record === null || !(await verifyApiKey(presented, record))) return null;
    const caller: Caller = {
      keyId: record.id,
      role: record.role,
      tenantId: record.tenantId,
      rateLimitPerMin: record.rateLimitPerMin,
    };
    if (this.cache.size >= this.options.cacheEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(digest, { caller, expiresAtMs: nowMs + this.options.cacheTtlMs });
    return caller;
  }

  /** Forgets every cached verification of a key, so a revocation takes effect on the next request. */
  forget(keyId: string): void {
    for (const [digest, entry] of this.cache) if (entry.caller.keyId === keyId) this.cache.delete(digest);
  }
}

/** `Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1) → the token; anything else → null. */
function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  return match ? match[1]! : null;
}
