// Bearer keys → principals. scrypt is slow on purpose, so a successful check is remembered for a short time
// under a SHA-256 digest of the presented key (never the key itself); revoking a key through the API drops
// its entries at once, and a key revoked elsewhere stops working when its entry expires.
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
  /** Real time for cache expiry (the control plane's clock may run faster). */
  nowMs: () => number;
}

export const DEFAULT_AUTHENTICATOR_OPTIONS: AuthenticatorOptions = {
  cacheTtlMs: 60_000,
  cacheEntries: 10_000,
  nowMs: Date.now,
};

interface CacheEntry {
  caller: Caller;
  expiresAtMs: number;
}

export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Caller | null>>();

  constructor(
    private readonly store: Store,
    private readonly options: AuthenticatorOptions = DEFAULT_AUTHENTICATOR_OPTIONS,
  ) {}

  /** The caller behind an `Authorization` header value, or null for a missing, malformed, unknown or revoked key. */
  async authenticate(authorization: string | undefined): Promise<Caller | null> {
    const presented = bearerToken(authorization);
    if (presented === null) return null;
    const parts = parseApiKey(presented);
    if (parts === null) return null;
    const digest = createHash("sha256").update(presented).digest("base64url");
    const nowMs = this.options.nowMs();
    const cached = this.cache.get(digest);
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.caller;
    this.cache.delete(digest);
    // Concurrent first requests with the same key share one slow verification instead of one each.
    let pending = this.inFlight.get(digest);
    if (pending === undefined) {
      pending = this.verify(presented, parts.keyId, digest, nowMs).finally(() =>
        this.inFlight.delete(digest),
      );
      this.inFlight.set(digest, pending);
    }
    return pending;
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
