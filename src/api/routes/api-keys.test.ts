import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, TENANT_A, type TestApi } from "../../../test/support/api-test-harness.ts";
import { parseApiKey } from "../auth/api-keys.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const asKey = (key: string) => ({ authorization: `Bearer ${key}` });

describe("/v1/api-keys", () => {
  it("creates a key that works at once, shows it only in the creation response and never shows a hash", async () => {
    const res = await api.call("adminA", "POST", "/v1/api-keys", { name: "ci", role: "tenant-member" });
    expect(res.statusCode).toBe(201);
    const { key, apiKey } = res.json();
    expect(key).toMatch(/^fjk_key_[0-9a-z]{26}_/);
    expect(apiKey).toMatchObject({ name: "ci", role: "tenant-member", tenant: TENANT_A, revokedAt: null });
    expect(res.headers["cache-control"]).toBe("no-store");
    expect((await api.call(null, "GET", "/v1/jobs", undefined, asKey(key))).statusCode).toBe(200);
    const list = await api.call("adminA", "GET", "/v1/api-keys");
    expect(list.json().items.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect(list.body).not.toContain("scrypt");
    // The secret is base64url and may itself contain "_": take it as the key format defines it.
    expect(list.body).not.toContain(parseApiKey(key)!.secret);
  });

  it("revokes a key so the very next request with it is refused, even though it was just verified", async () => {
    const { key, apiKey } = (
      await api.call("adminA", "POST", "/v1/api-keys", { name: "temp", role: "tenant-member" })
    ).json();
    expect((await api.call(null, "GET", "/v1/queue", undefined, asKey(key))).statusCode).toBe(200);
    const revoked = await api.call("adminA", "POST", `/v1/api-keys/${apiKey.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toMatch(/Z$/);
    expect((await api.call(null, "GET", "/v1/queue", undefined, asKey(key))).statusCode).toBe(401);
    const again = await api.call("adminA", "POST", `/v1/api-keys/${apiKey.id}/revoke`);
    expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
  });

  it("lets operators create operator keys with their own rate limit, and no tenant", async () => {
    const res = await api.call("operator", "POST", "/v1/api-keys", {
      name: "ops",
      role: "operator",
      rateLimitPerMin: 5000,
    });
    expect(res.json().apiKey).toMatchObject({ role: "operator", tenant: null, rateLimitPerMin: 5000 });
    const withTenant = await api.call("operator", "POST", "/v1/api-keys", {
      name: "x",
      role: "operator",
      tenant: TENANT_A,
    });
    expect(withTenant.statusCode).toBe(422);
    const noTenant = await api.call("operator", "POST", "/v1/api-keys", { name: "x", role: "tenant-admin" });
    expect(noTenant.json().errors).toEqual([
      { field: "tenant", reason: "is required for a tenant-admin key" },
    ]);
    const unknown = await api.call("operator", "POST", "/v1/api-keys", {
      name: "x",
      role: "tenant-admin",
      tenant: "nobody",
    });
    expect(unknown.statusCode).toBe(422);
  });

  it("keeps tenant admins to tenant keys of their own tenant without rate-limit overrides", async () => {
    expect(
      (await api.call("adminA", "POST", "/v1/api-keys", { name: "x", role: "operator" })).statusCode,
    ).toBe(403);
    const limit = await api.call("adminA", "POST", "/v1/api-keys", {
      name: "x",
      role: "tenant-member",
      rateLimitPerMin: 10_000,
    });
    expect(limit.statusCode).toBe(403);
  });

  it("lists every key to operators, audited creation and revocation included", async () => {
    const items = (await api.call("operator", "GET", "/v1/api-keys")).json().items;
    expect(items.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining(Object.values(api.keyIds)));
    const audit = (await api.call("operator", "GET", `/v1/audit?tenant=${TENANT_A}&limit=1000`)).json().items;
    const actions = audit.map((e: { action: string }) => e.action);
    expect(actions).toContain("api-key.create");
    expect(actions).toContain("api-key.revoke");
  });
});
