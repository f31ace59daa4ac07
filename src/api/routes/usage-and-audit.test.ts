import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  smallJob,
  startTestApi,
  TENANT_A,
  TENANT_B,
  type TestApi,
} from "../../../test/support/api-test-harness.ts";

let api: TestApi;
let runningJobOfA: string;
beforeAll(async () => {
  api = await startTestApi();
  runningJobOfA = (
    await api.call("memberA", "POST", "/v1/jobs", smallJob({ residency: ["NO"], notBefore: null }))
  ).json().id;
  await eventually(
    "A's job to start",
    async () => (await api.call("memberA", "GET", `/v1/jobs/${runningJobOfA}`)).json().state === "running",
  );
});
afterAll(() => api.close());

interface Entry {
  seq: number;
  action: string;
  actor: string;
  tenant: string | null;
  objectId: string;
  details: Record<string, unknown>;
}

async function auditOf(tenant: string): Promise<Entry[]> {
  return (await api.call("operator", "GET", `/v1/audit?tenant=${tenant}&limit=1000`)).json().items;
}

describe("GET /v1/usage", () => {
  it("counts a finished run's GPU-hours for its tenant over the period", async () => {
    const from = new Date(api.controlPlane.nowMs() - 1000).toISOString();
    const res = await api.call(
      "operator",
      "POST",
      "/v1/jobs",
      smallJob({ tenant: "fjellbit", estimatedRuntimeS: 1, notBefore: null }),
    );
    const id = res.json().id;
    await eventually(
      "the one-second job to complete",
      async () => (await api.call("operator", "GET", `/v1/jobs/${id}`)).json().state === "completed",
    );
    const to = new Date(api.controlPlane.nowMs() + 1000).toISOString();
    const usage = (
      await api.call("operator", "GET", `/v1/usage?tenant=fjellbit&from=${from}&to=${to}`)
    ).json();
    expect(usage).toMatchObject({ from, to, tenants: [{ tenant: "fjellbit", gpuHours: 4 / 3600 }] });
  });

  it("shows a tenant key its own tenant only, and operators every tenant", async () => {
    const own = (await api.call("memberA", "GET", "/v1/usage")).json();
    expect(own.tenants.map((t: { tenant: string }) => t.tenant)).toEqual([TENANT_A]);
    expect(own.tenants[0].gpuHours).toBeGreaterThan(0);
    const all = (await api.call("operator", "GET", "/v1/usage")).json();
    expect(all.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(
      expect.arrayContaining([TENANT_A, TENANT_B]),
    );
  });

  it("refuses a period that ends before it starts", async () => {
    const res = await api.call(
      "operator",
      "GET",
      "/v1/usage?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe("from");
  });
});

describe("GET /v1/audit", () => {
  it("shows a tenant only entries about its own tenant, in pages", async () => {
    const seen: Entry[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await api.call("adminA", "GET", url)).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen.map((e) => e.tenant))).toEqual(new Set([TENANT_A]));
    expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it("writes an operator's every read of a tenant's data into that tenant's trail", async () => {
    const operator = api.keyIds.operator;
    await api.call("operator", "GET", `/v1/jobs/${runningJobOfA}`);
    await api.call("operator", "GET", `/v1/jobs?tenant=${TENANT_A}`);
    await api.call("operator", "GET", `/v1/usage?tenant=${TENANT_A}`);
    await api.call("operator", "GET", `/v1/audit?tenant=${TENANT_A}`);
    const reads = (await auditOf(TENANT_A)).filter((e) => e.actor === operator && e.action.endsWith(".read"));
    expect(reads.map((e) => [e.action, e.objectId])).toEqual(
      expect.arrayContaining([
        ["job.read", runningJobOfA],
        ["jobs.read", TENANT_A],
        ["usage.read", TENANT_A],
        ["audit.read", TENANT_A],
      ]),
    );
  });

  it("does not log a tenant reading its own data", async () => {
    const before = (await auditOf(TENANT_A)).length;
    await api.call("memberA", "GET", `/v1/jobs/${runningJobOfA}`);
    await api.call("memberA", "GET", "/v1/usage");
    const after = await auditOf(TENANT_A);
    // The operator's own listing above adds one audit.read; the tenant's reads add nothing.
    expect(after.slice(before).map((e) => e.action)).toEqual(["audit.read"]);
  });
});

describe("GET /v1/audit/export", () => {
  it("gives the tenant's trail with every actor and the jurisdictions its jobs ran in", async () => {
    await api.call("operator", "GET", `/v1/jobs/${runningJobOfA}`);
    const res = await api.call("operator", "GET", `/v1/audit/export?tenant=${TENANT_A}`);
    expect(res.statusCode).toBe(200);
    const trail = res.json();
    expect(trail.tenant).toBe(TENANT_A);
    expect(trail.jurisdictions).toEqual([
      expect.objectContaining({ jurisdiction: "NO", sites: ["no-test"], jobs: [runningJobOfA], starts: 1 }),
      expect.objectContaining({ jurisdiction: "EEA", sites: ["no-test"], jobs: [runningJobOfA], starts: 1 }),
    ]);
    const actors = Object.fromEntries(
      trail.actors.map((a: { actor: string; actions: object }) => [a.actor, a.actions]),
    );
    expect(actors.scheduler).toMatchObject({ "job.start": 1 });
    expect(actors[api.keyIds.memberA]).toMatchObject({ "job.submit": 1 });
    expect(actors[api.keyIds.operator]).toMatchObject({ "job.read": expect.any(Number) });
    expect(trail.entries.every((e: Entry) => e.tenant === TENANT_A)).toBe(true);
  });

  it("streams a trail longer than a page, up to the chain's head when asked, and records the read first", async () => {
    const atMs = api.controlPlane.nowMs();
    await api.controlPlane.store.appendAudit(
      Array.from({ length: 2_100 }, (_, i) => ({
        atMs,
        actor: "scheduler",
        action: "job.read",
        tenantId: TENANT_B,
        objectType: "job",
        objectId: `job-bulk-${i}`,
        details: {},
      })),
    );
    const res = await api.call("operator", "GET", `/v1/audit/export?tenant=${TENANT_B}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const trail = res.json();
    const seqs = trail.entries.map((e: Entry) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(2_100);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const bulk = trail.actors.find((a: { actor: string }) => a.actor === "scheduler").actions["job.read"];
    expect(bulk).toBe(2_100);
    // The export's own read entry names the head it covers and is not in it.
    const reads = (await api.call("operator", "GET", `/v1/audit?tenant=${TENANT_B}&limit=1000`)).json();
    let page = reads;
    while (page.nextCursor !== null)
      page = (
        await api.call("operator", "GET", `/v1/audit?tenant=${TENANT_B}&limit=1000&cursor=${page.nextCursor}`)
      ).json();
    const own = page.items.findLast((e: Entry) => e.action === "audit.read" && e.details.export === true);
    expect(own.details.throughSeq).toBe(seqs.at(-1));
    expect(own.seq).toBeGreaterThan(seqs.at(-1));
  });

  it("is for operators only, and answers 404 for a tenant that does not exist", async () => {
    expect((await api.call("adminA", "GET", `/v1/audit/export?tenant=${TENANT_A}`)).statusCode).toBe(403);
    expect((await api.call("operator", "GET", "/v1/audit/export?tenant=nobody")).statusCode).toBe(404);
  });
});
