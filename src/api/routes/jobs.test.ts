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
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("POST /v1/jobs", () => {
  it("queues a job for the caller's tenant with a server id, the submission time and the file's defaults", async () => {
    const before = api.controlPlane.nowMs();
    const res = await api.call(
      "memberA",
      "POST",
      "/v1/jobs",
      smallJob({ name: "pretrain", labels: { team: "nlp" } }),
    );
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      tenant: TENANT_A,
      name: "pretrain",
      gpus: 4,
      nodes: null,
      estimatedRuntimeS: 3600,
      limitS: 5400,
      priority: 0,
      topology: "auto",
      labels: { team: "nlp" },
      state: "queued",
      submittedBy: api.keyIds.memberA,
    });
    expect(job.id).toMatch(/^job_[0-9a-z]{26}$/);
    expect(res.headers.location).toBe(`/v1/jobs/${job.id}`);
    expect(Date.parse(job.submittedAt)).toBeGreaterThanOrEqual(before);
    expect(job.submittedAt).toMatch(/Z$/);
  });

  it("takes a gang, GPU models, residency, latency, checkpoints and a start window in wire form", async () => {
    const res = await api.call(
      "operator",
      "POST",
      "/v1/jobs",
      smallJob({
        tenant: TENANT_B,
        gpus: undefined,
        nodes: 2,
        gpusPerNode: 4,
        gpuModel: "GB300",
        limitS: 7200,
        residency: ["EEA"],
        maxLatency: { region: "nordics", ms: 20 },
        checkpointIntervalS: 600,
        notBefore: "2030-01-01T01:00:00+01:00",
        deadline: "2030-01-02T00:00:00Z",
        topology: "nvlink-domain",
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      tenant: TENANT_B,
      nodes: 2,
      gpusPerNode: 4,
      gpus: 8,
      gpuModels: ["GB300"],
      limitS: 7200,
      residency: ["EEA"],
      maxLatency: { region: "nordics", ms: 20 },
      checkpointIntervalS: 600,
      notBefore: "2030-01-01T00:00:00.000Z",
      deadline: "2030-01-02T00:00:00.000Z",
      topology: "nvlink-domain",
    });
  });

  it("makes operators name the tenant, and refuses a tenant key naming another tenant", async () => {
    const noTenant = await api.call("operator", "POST", "/v1/jobs", smallJob());
    expect(noTenant.statusCode).toBe(422);
    expect(noTenant.json().errors).toEqual([
      { field: "tenant", reason: expect.stringContaining("required") },
    ]);
    const other = await api.call("adminA", "POST", "/v1/jobs", smallJob({ tenant: TENANT_B }));
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0].field).toBe("tenant");
  });

  it("refuses a job that can never run here with 422 naming the field, and stores nothing", async () => {
    const before = (await api.call("adminA", "GET", "/v1/jobs?limit=1000")).json().items.length;
    const res = await api.call("adminA", "POST", "/v1/jobs", smallJob({ gpus: 4096 }));
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: "urn:fjord:problem:job-refused",
      status: 422,
      errors: [{ field: "gpus", reason: expect.stringMatching(/^never fits: needs 4,096 GPUs/) }],
    });
    const residency = await api.call("adminA", "POST", "/v1/jobs", smallJob({ residency: ["EU"] }));
    expect(residency.json().errors[0]).toMatchObject({
      field: "residency",
      reason: expect.stringContaining("EU"),
    });
    expect((await api.call("adminA", "GET", "/v1/jobs?limit=1000")).json().items).toHaveLength(before);
  });
});

describe("Idempotency-Key", () => {
  it("returns the same job with 200 when a POST is retried, and never creates a second one", async () => {
    const body = smallJob({ name: "retried" });
    const headers = { "idempotency-key": "retry-sequential-1" };
    const first = await api.call("memberB", "POST", "/v1/jobs", body, headers);
    const second = await api.call("memberB", "POST", "/v1/jobs", body, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const named = (await api.call("memberB", "GET", "/v1/jobs?limit=1000"))
      .json()
      .items.filter((j: { name: string }) => j.name === "retried");
    expect(named).toHaveLength(1);
  });

  it("creates exactly one job for 20 concurrent retries of the same POST", async () => {
    const body = smallJob({ estimatedRuntimeS: 7200 });
    const headers = { "idempotency-key": "retry-concurrent-1" };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api.call("adminB", "POST", "/v1/jobs", body, headers)),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    const id = responses[0]!.json().id;
    const all = (await api.call("adminB", "GET", "/v1/jobs?limit=1000")).json().items;
    expect(all.filter((j: { id: string }) => j.id === id)).toHaveLength(1);
    expect(all.filter((j: { estimatedRuntimeS: number }) => j.estimatedRuntimeS === 7200)).toHaveLength(1);
  });

  it("answers 409 when the key comes back with a different body, and leaves the first job as it was", async () => {
    const headers = { "idempotency-key": "retry-conflict-1" };
    const first = await api.call("memberA", "POST", "/v1/jobs", smallJob({ priority: 1 }), headers);
    const conflict = await api.call("memberA", "POST", "/v1/jobs", smallJob({ priority: 2 }), headers);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ type: "urn:fjord:problem:idempotency-conflict", status: 409 });
    expect(conflict.json().detail).toContain(first.json().id);
    const stored = await api.call("memberA", "GET", `/v1/jobs/${first.json().id}`);
    expect(stored.json().priority).toBe(1);
  });

  it("treats a retry that spells out a default the first request left out as the same job", async () => {
    const headers = { "idempotency-key": "retry-defaults-1" };
    const first = await api.call("memberA", "POST", "/v1/jobs", smallJob(), headers);
    const spelled = smallJob({
      priority: 0,
      topology: "auto",
      labels: {},
      limitS: 5400,
      name: first.json().id,
    });
    const retry = await api.call("memberA", "POST", "/v1/jobs", spelled, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
  });

  it("scopes keys to the tenant: another tenant's identical key makes its own job", async () => {
    const headers = { "idempotency-key": "shared-key-name" };
    const a = await api.call("memberA", "POST", "/v1/jobs", smallJob(), headers);
    const b = await api.call("memberB", "POST", "/v1/jobs", smallJob(), headers);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
  });
});

describe("GET /v1/jobs", () => {
  it("pages through jobs in submission order with limit and nextCursor, filtered by state", async () => {
    const tenant = "nordlys-research";
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.call("operator", "POST", "/v1/jobs", smallJob({ tenant }));
      ids.push(res.json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/jobs?tenant=${tenant}&state=queued&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await api.call("operator", "GET", query)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((j: { id: string }) => j.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(ids);
    const running = (
      await api.call("operator", "GET", `/v1/jobs?tenant=${tenant}&state=running,completed`)
    ).json();
    expect(running.items).toEqual([]);
  });
});

describe("GET /v1/jobs/{id} and POST /v1/jobs/{id}/cancel", () => {
  it("reads a job, cancels it, and answers 409 to a second cancel", async () => {
    const id = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    const read = await api.call("memberA", "GET", `/v1/jobs/${id}`);
    expect(read.json()).toMatchObject({ id, state: "queued" });
    const cancel = await api.call("memberA", "POST", `/v1/jobs/${id}/cancel`);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ id, state: "cancelled" });
    const again = await api.call("memberA", "POST", `/v1/jobs/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: "urn:fjord:problem:job-finished" });
  });

  it("shows a started job's allocation and cancels it while it runs", async () => {
    const id = (
      await api.call("adminA", "POST", "/v1/jobs", smallJob({ residency: ["NO"], notBefore: null }))
    ).json().id;
    const running = await eventually("the job to start", async () => {
      const job = (await api.call("adminA", "GET", `/v1/jobs/${id}`)).json();
      return job.state === "running" ? job : null;
    });
    expect(running.allocation.siteId).toBe("no-test");
    expect(running.startedAt).toMatch(/Z$/);
    const cancel = await api.call("adminA", "POST", `/v1/jobs/${id}/cancel`);
    expect(cancel.json()).toMatchObject({ state: "cancelled" });
  });

  it("answers 404 for an id that does not exist", async () => {
    const res = await api.call("operator", "GET", "/v1/jobs/job_00000000000000000000000000");
    expect(res.statusCode).toBe(404);
  });
});
