// Bad input of every kind answers with an RFC 9457 problem document that names each field and rule, and
// changes nothing that was stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, type TestApi } from "../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ bodyLimitBytes: 4096, defaultRateLimitPerMin: 1000 });
});
afterAll(() => api.close());

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  return body;
}

async function jobCount(): Promise<number> {
  return (await api.call("operator", "GET", "/v1/jobs?limit=1000")).json().items.length;
}

describe("problem documents", () => {
  it("names each unknown field at its path", async () => {
    const res = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({ gpu: 4, maxLatency: { region: "nordics", ms: 5, unit: "ms" } }),
    );
    const problem = expectProblem(res, 400);
    expect(problem.type).toBe("urn:fjord:problem:invalid-request");
    expect(problem.errors).toHaveLength(2);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        {
          field: "gpu",
          reason: expect.stringContaining("is not a known key here (known keys: tenant, name,"),
        },
        { field: "maxLatency.unit", reason: "is not a known key here (known keys: region, ms)" },
      ]),
    );
    expect(problem.detail).toMatch(
      /^the request body is not valid: .*"gpu" is not a known key here \(known keys: tenant,/,
    );
    expect(problem.detail).toContain('"maxLatency.unit" is not a known key here (known keys: region, ms)');
  });

  it("names a header that breaks its rule, in a sentence that reads", async () => {
    const res = await api.call("adminA", "GET", "/v1/events", undefined, {
      "last-event-id": "9".repeat(500),
    });
    const problem = expectProblem(res, 400);
    expect(problem.detail).toBe("the header set is not valid");
    expect(problem.errors).toEqual([
      { field: "last-event-id", reason: "must be at most 100 characters long" },
    ]);
  });

  it("says which type a field must have and what it got", async () => {
    const res = await api.call("adminA", "POST", "/v1/jobs", smallJob({ gpus: "4", residency: ["EEA", 7] }));
    expect(expectProblem(res, 400).errors).toEqual([
      { field: "gpus", reason: 'must be a number, not the string "4"' },
      { field: "residency[1]", reason: "must be a string, not 7" },
    ]);
  });

  it("lists the allowed values of an enum and says a missing field is required", async () => {
    const res = await api.call("adminA", "POST", "/v1/jobs", { gpus: 4, topology: "rack" });
    expect(expectProblem(res, 400).errors).toEqual([
      { field: "estimatedRuntimeS", reason: "is required" },
      {
        field: "topology",
        reason: 'must be one of "auto", "nvlink-domain", "network-block", "site", not the string "rack"',
      },
    ]);
  });

  it("applies the job file's cross-field rules under the wire names", async () => {
    const res = await api.call("adminA", "POST", "/v1/jobs", smallJob({ nodes: 2, gpusPerNode: 4 }));
    expect(expectProblem(res, 400).errors).toEqual([
      { field: "gpus", reason: expect.stringContaining("not both") },
    ]);
    const limit = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({ estimatedRuntimeS: 7200, limitS: 3600 }),
    );
    expect(expectProblem(limit, 400).errors).toEqual([
      { field: "limitS", reason: expect.stringContaining("must be at least estimatedRuntimeS") },
    ]);
  });

  it("refuses an oversized body with 413 before reading it as a job", async () => {
    const before = await jobCount();
    const res = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({ labels: { notes: "x".repeat(5000) } }),
    );
    expectProblem(res, 413);
    expect(await jobCount()).toBe(before);
  });

  it("refuses a body that is not JSON with 415, and broken JSON with 400", async () => {
    const text = await api.call("adminA", "POST", "/v1/jobs", "gpus=4", { "content-type": "text/plain" });
    expectProblem(text, 415);
    const broken = await api.call("adminA", "POST", "/v1/jobs", '{"gpus": 4', {
      "content-type": "application/json",
    });
    expectProblem(broken, 400);
  });

  it("refuses an impossible job with 422 naming the field and the scheduler's reason", async () => {
    const before = await jobCount();
    const res = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({ gpus: undefined, nodes: 3, gpusPerNode: 8 }),
    );
    const problem = expectProblem(res, 422);
    expect(problem.type).toBe("urn:fjord:problem:job-refused");
    expect(problem.errors).toEqual([{ field: "nodes", reason: expect.stringMatching(/^never fits/) }]);
    expect(await jobCount()).toBe(before);
  });

  it("answers 401 without a key, with a malformed key and with an unknown key", async () => {
    expectProblem(await api.call(null, "GET", "/v1/jobs"), 401);
    expectProblem(
      await api.call(null, "GET", "/v1/jobs", undefined, { authorization: "Bearer nonsense" }),
      401,
    );
    const unknown = `fjk_key_00000000000000000000000000_${"A".repeat(43)}`;
    const res = await api.call(null, "GET", "/v1/jobs", undefined, { authorization: `Bearer ${unknown}` });
    expectProblem(res, 401);
    expect(res.headers["www-authenticate"]).toContain("Bearer");
  });

  it("answers 404 for an unknown route and 405 with Allow for a known path under another method", async () => {
    expectProblem(await api.call("adminA", "GET", "/v1/nothing-here"), 404);
    const res = await api.call("adminA", "PUT", "/v1/jobs", {});
    expectProblem(res, 405);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
  });

  it("answers 403 when the role may not use the route", async () => {
    const res = await api.call("memberA", "POST", "/v1/api-keys", { name: "x", role: "tenant-member" });
    expect(expectProblem(res, 403).detail).toContain("tenant-admin");
  });

  it("answers 429 once a key has used its requests for the minute, counting per key", async () => {
    const limited = await api.addKey("tenant-member", "fjellbit", 3);
    const call = (key: string) =>
      api.call(null, "GET", "/v1/queue", undefined, { authorization: `Bearer ${key}` });
    for (let i = 0; i < 3; i++) expect((await call(limited)).statusCode).toBe(200);
    const refused = await call(limited);
    const problem = expectProblem(refused, 429);
    expect(problem.type).toBe("urn:fjord:problem:rate-limited");
    expect(refused.headers["retry-after"]).toBeDefined();
    expect((await api.call("memberA", "GET", "/v1/queue")).statusCode).toBe(200);
  });
});
