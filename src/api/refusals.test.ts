// What the API refuses at its boundary, on both backends: text the database cannot store, edited cursors,
// broken paths, values outside their documented bounds and jobs that could never run. Each refusal is a
// problem document naming the field, and nothing refused is stored.
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, TENANT_A, type TestApi } from "../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ defaultRateLimitPerMin: 100_000 });
});
afterAll(() => api.close());

function refusal(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = res.json() as {
    status: number;
    type: string;
    title: string;
    detail: string;
    errors?: unknown;
  };
  expect(body).toMatchObject({ status: res.statusCode, type: expect.any(String), title: expect.any(String) });
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

async function jobCount(): Promise<number> {
  return (await api.call("operator", "GET", "/v1/jobs?limit=1000")).json().items.length;
}

describe("text the database cannot store", () => {
  const LONE = "x\ud800y";
  const NUL = "x\u0000y";
  it.each([
    ["a lone surrogate in a job name", "POST", "/v1/jobs", smallJob({ name: LONE }), "name"],
    [
      "a lone surrogate in a label value",
      "POST",
      "/v1/jobs",
      smallJob({ labels: { team: LONE } }),
      "labels.team",
    ],
    ["a lone surrogate in a GPU model", "POST", "/v1/jobs", smallJob({ gpuModel: LONE }), "gpuModel"],
    [
      "a lone surrogate in a latency region",
      "POST",
      "/v1/jobs",
      smallJob({ maxLatency: { region: LONE, ms: 5 } }),
      "maxLatency.region",
    ],
    [
      "a lone surrogate in a tenant name",
      "PUT",
      "/v1/tenants/new-tenant",
      { tier: "global", name: LONE },
      "name",
    ],
    [
      "a lone surrogate in an API key name",
      "POST",
      "/v1/api-keys",
      { name: LONE, role: "tenant-member", tenant: TENANT_A },
      "name",
    ],
    ["a NUL in a label value", "POST", "/v1/jobs", smallJob({ labels: { team: NUL } }), "labels.team"],
    ["a NUL in a tenant name", "PUT", "/v1/tenants/new-tenant", { tier: "global", name: NUL }, "name"],
  ] as const)("refuses %s with 400 naming the field", async (_, method, url, body, field) => {
    const before = await jobCount();
    const res = await api.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${api.keys.operator}`, "content-type": "application/json" },
      // JSON.stringify writes a lone surrogate as the escape \ud800, as a client would send it.
      payload: JSON.stringify({ ...body, ...(url === "/v1/jobs" ? { tenant: TENANT_A } : {}) }),
    });
    const problem = refusal(res);
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ field, reason: expect.stringMatching(/surrogate|NUL/) }]);
    expect(await jobCount()).toBe(before);
    expect((await api.call("operator", "GET", "/v1/tenants/new-tenant")).statusCode).toBe(404);
  });

  it("keeps text with whole surrogate pairs (emoji) as it was sent", async () => {
    const res = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({ name: "fine-tune 🚀", labels: { a: "é" } }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: "fine-tune 🚀", labels: { a: "é" } });
  });
});

describe("keys that name an object's prototype", () => {
  it("refuses a __proto__ label key with 400 naming it, and stores nothing", async () => {
    const before = await jobCount();
    const labels = JSON.parse('{"team":"a","__proto__":"x"}');
    const res = await api.call("adminA", "POST", "/v1/jobs", smallJob({ labels }));
    expect(res.statusCode).toBe(400);
    expect(refusal(res).errors).toEqual([
      { field: "labels.__proto__", reason: expect.stringMatching(/prototype/) },
    ]);
    expect(await jobCount()).toBe(before);
  });

  it("answers a body nested thousands of levels deep with a problem document, not a crash", async () => {
    const deep = `{"gpus":4,"estimatedRuntimeS":3600,"labels":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const res = await api.call("adminA", "POST", "/v1/jobs", deep, { "content-type": "application/json" });
    expect(res.statusCode).toBe(400);
    refusal(res);
  });

  it.each([
    ["bytes that are not UTF-8", Buffer.from([0xff, 0xfe]), "application/json", 400],
    ["a lone surrogate sent as raw bytes", Buffer.from([0xed, 0xa0, 0x80]), "application/json", 400],
    ["another charset", Buffer.from("né", "latin1"), "application/json; charset=latin1", 415],
  ])(
    "refuses a job name of %s rather than store something the client did not send",
    async (_, name, type, status) => {
      const before = await jobCount();
      const body = Buffer.concat([
        Buffer.from('{"gpus":4,"estimatedRuntimeS":3600,"name":"'),
        name,
        Buffer.from('"}'),
      ]);
      const res = await api.call("adminA", "POST", "/v1/jobs", body, { "content-type": type });
      expect(res.statusCode).toBe(status);
      refusal(res);
      expect(await jobCount()).toBe(before);
    },
  );

  it("keeps labels named like other built-in properties as ordinary labels", async () => {
    const labels = { constructor: "x", toString: "y", hasOwnProperty: "z" };
    const res = await api.call("adminA", "POST", "/v1/jobs", smallJob({ labels }));
    expect(res.statusCode).toBe(201);
    expect(res.json().labels).toEqual(labels);
  });
});

describe("page cursors", () => {
  it.each([
    ["a NUL in the id", "WzAsIlx1MDAwMCJd"],
    ["a lone surrogate in the id", Buffer.from('[0,"\\ud800"]').toString("base64url")],
    ["a negative time", Buffer.from('[-5,"job_1"]').toString("base64url")],
  ])("refuses a cursor with %s with 400 naming cursor", async (_, cursor) => {
    for (const url of [`/v1/jobs?cursor=${cursor}`, `/v1/audit?cursor=${cursor}`]) {
      const problem = refusal(await api.call("operator", "GET", url));
      expect(problem.status).toBe(400);
      expect(problem.errors).toEqual([{ field: "cursor", reason: expect.any(String) }]);
    }
  });
});

describe("requests the router refuses", () => {
  it("answers a path with a broken %-escape with a problem document", async () => {
    const problem = refusal(await api.call("operator", "GET", "/v1/jobs/%FF"));
    expect(problem).toMatchObject({ status: 400, errors: [{ field: "path", reason: expect.any(String) }] });
  });

  it("answers an id longer than any Fjord gives out with a problem document", async () => {
    const problem = refusal(await api.call("operator", "GET", `/v1/jobs/${"a".repeat(5000)}`));
    expect(problem).toMatchObject({ status: 414, errors: [{ field: "path", reason: expect.any(String) }] });
  });

  it.each([
    ["an unknown route", "GET", "/v1/nothing-here", undefined, {}],
    ["a body that is not JSON", "POST", "/v1/jobs", "{", { "content-type": "application/json" }],
    [
      "a body of another type",
      "POST",
      "/v1/jobs",
      "a=b",
      { "content-type": "application/x-www-form-urlencoded" },
    ],
    [
      "a prototype-poisoning body",
      "POST",
      "/v1/jobs",
      '{"__proto__":{"x":1},"gpus":1}',
      { "content-type": "application/json" },
    ],
  ] as const)("answers %s with a problem document", async (_, method, url, payload, headers) => {
    const res = await api.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${api.keys.adminA}`, ...headers },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    refusal(res);
  });
});

describe("requests that are not HTTP", () => {
  it("answers bytes that are no HTTP request with a problem document", async () => {
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = api.app.server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString("utf8");
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    const [head, body] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body!)).toMatchObject({
      status: 400,
      title: "Bad Request",
      detail: expect.any(String),
    });
  });
});

describe("documented bounds of a tenant", () => {
  it.each([
    ["a quota beyond 32-bit counts", { quotaGpus: 2 ** 31 }, "quotaGpus"],
    ["a quota of 1e15", { quotaGpus: 1e15 }, "quotaGpus"],
    ["a weight that divides to Infinity", { weight: 1e-320 }, "weight"],
    ["a weight of a billion", { weight: 1e9 }, "weight"],
  ])("refuses %s with 400 naming the field, and stores nothing", async (_, fields, field) => {
    const res = await api.call("operator", "PUT", "/v1/tenants/bounded-lab", { tier: "global", ...fields });
    expect(res.statusCode).toBe(400);
    expect(refusal(res).errors).toEqual([{ field, reason: expect.any(String) }]);
    expect((await api.call("operator", "GET", "/v1/tenants/bounded-lab")).statusCode).toBe(404);
  });

  it("takes the largest quota and the smallest weight", async () => {
    const res = await api.call("operator", "PUT", "/v1/tenants/bounded-lab", {
      tier: "global",
      quotaGpus: 10_000_000,
      weight: 0.001,
    });
    expect(res.statusCode).toBe(201);
  });
});

describe("documented bounds of a job", () => {
  it.each([
    ["a runtime of 1e15 s", { estimatedRuntimeS: 1e15 }, "estimatedRuntimeS", 400],
    ["a runtime over a year", { estimatedRuntimeS: 365 * 86_400 + 1 }, "estimatedRuntimeS", 400],
    ["a limit over a year", { limitS: 400 * 86_400 }, "limitS", 400],
    ["a checkpoint interval over a year", { checkpointIntervalS: 400 * 86_400 }, "checkpointIntervalS", 400],
    ["a latency bound of 1e308 ms", { maxLatency: { region: "nordics", ms: 1e308 } }, "maxLatency.ms", 400],
    ["a priority of 1e12", { priority: 1e12 }, "priority", 400],
    ["a deadline in 1970", { notBefore: null, deadline: "1970-01-01T00:00:00Z" }, "deadline", 400],
    ["a notBefore in 1970", { notBefore: "1970-01-01T00:00:00Z" }, "notBefore", 400],
    ["a notBefore in 9999", { notBefore: "9999-01-01T00:00:00Z" }, "notBefore", 422],
    ["a deadline in 9999", { notBefore: null, deadline: "9999-01-01T00:00:00Z" }, "deadline", 422],
    ["a deadline that passed last week", { notBefore: null, deadline: "LAST_WEEK" }, "deadline", 422],
  ])("refuses %s naming the field", async (_, fields, field, status) => {
    const before = await jobCount();
    const patched = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        v === "LAST_WEEK" ? new Date(api.controlPlane.nowMs() - 7 * 86_400_000).toISOString() : v,
      ]),
    );
    const problem = refusal(await api.call("adminA", "POST", "/v1/jobs", smallJob(patched)));
    expect(problem.status).toBe(status);
    expect(problem.errors).toEqual([{ field, reason: expect.any(String) }]);
    expect(await jobCount()).toBe(before);
  });

  it("takes values at the bounds", async () => {
    const res = await api.call(
      "adminA",
      "POST",
      "/v1/jobs",
      smallJob({
        estimatedRuntimeS: 365 * 86_400,
        maxLatency: { region: "nordics", ms: 10_000 },
        priority: -1_000_000,
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe("jobs that could never run", () => {
  it("refuses a job larger than its tenant's quota with 422 naming the quota", async () => {
    const put = await api.call("operator", "PUT", "/v1/tenants/small-quota", {
      tier: "global",
      quotaGpus: 8,
    });
    expect(put.statusCode).toBeLessThan(300);
    const before = await jobCount();
    const res = await api.call("operator", "POST", "/v1/jobs", smallJob({ tenant: "small-quota", gpus: 16 }));
    const problem = refusal(res);
    expect(problem).toMatchObject({ status: 422, type: "urn:fjord:problem:job-refused" });
    expect(problem.errors).toEqual([{ field: "gpus", reason: expect.stringContaining("quota of 8") }]);
    expect(await jobCount()).toBe(before);
    const fits = await api.call("operator", "POST", "/v1/jobs", smallJob({ tenant: "small-quota", gpus: 8 }));
    expect(fits.statusCode).toBe(201);
  });

  it("suggests the model a job meant and lists the models of the allowed sites", async () => {
    const problem = refusal(await api.call("adminA", "POST", "/v1/jobs", smallJob({ gpuModel: "gb300" })));
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([
      {
        field: "gpuModel",
        reason: expect.stringContaining("did you mean GB300? the allowed sites have GB300, H100"),
      },
    ]);
    const typo = refusal(await api.call("adminA", "POST", "/v1/jobs", smallJob({ gpuModel: "H10" })));
    expect(typo.detail).toContain("did you mean H100?");
  });
});
