import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, TENANT_A, type TestApi } from "../../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("/v1/tenants", () => {
  it("lists the policy's tenants to operators in the policy file's terms", async () => {
    const res = await api.call("operator", "GET", "/v1/tenants");
    expect(res.statusCode).toBe(200);
    const aurora = res.json().items.find((t: { id: string }) => t.id === TENANT_A);
    expect(aurora).toMatchObject({
      tier: "national",
      orgNumber: "931844156",
      weight: 2,
      quotaGpus: 20000,
      country: "NO",
    });
    expect(aurora.createdAt).toMatch(/Z$/);
  });

  it("lets a tenant's own keys read their tenant", async () => {
    const res = await api.call("memberA", "GET", `/v1/tenants/${TENANT_A}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(TENANT_A);
  });

  it("creates a tenant (201), changes it (200), audits both as policy changes, and schedules its jobs", async () => {
    const created = await api.call("operator", "PUT", "/v1/tenants/tromso-lab", {
      name: "Tromsø Lab",
      tier: "global",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: "tromso-lab",
      name: "Tromsø Lab",
      tier: "global",
      weight: 1,
      quotaGpus: null,
    });
    const changed = await api.call("operator", "PUT", "/v1/tenants/tromso-lab", {
      tier: "global",
      quotaGpus: 8,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ name: "tromso-lab", quotaGpus: 8 });
    const audit = (await api.call("operator", "GET", "/v1/audit?tenant=tromso-lab")).json().items;
    expect(audit.filter((e: { action: string }) => e.action === "policy.change")).toHaveLength(2);
    const job = await api.call("operator", "POST", "/v1/jobs", smallJob({ tenant: "tromso-lab" }));
    expect(job.statusCode).toBe(201);
  });

  it("refuses an unknown tier and a national-tier tenant without an organisation number, storing nothing", async () => {
    const tier = await api.call("operator", "PUT", "/v1/tenants/nowhere", { tier: "platinum" });
    expect(tier.statusCode).toBe(422);
    expect(tier.json().errors).toEqual([
      { field: "tier", reason: expect.stringContaining("national, nordic-european, global") },
    ]);
    const org = await api.call("operator", "PUT", "/v1/tenants/nowhere", { tier: "national" });
    expect(org.statusCode).toBe(422);
    expect(org.json().errors[0].field).toBe("orgNumber");
    const bad = await api.call("operator", "PUT", "/v1/tenants/nowhere", {
      tier: "national",
      orgNumber: "123456789",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      field: "orgNumber",
      reason: expect.stringContaining("check digit"),
    });
    expect((await api.call("operator", "GET", "/v1/tenants/nowhere")).statusCode).toBe(404);
  });

  it("keeps tenant management to operators", async () => {
    expect((await api.call("adminA", "GET", "/v1/tenants")).statusCode).toBe(403);
    expect((await api.call("adminA", "PUT", `/v1/tenants/${TENANT_A}`, { tier: "global" })).statusCode).toBe(
      403,
    );
  });
});
