// Tenant A walks every tenant-scoped endpoint against tenant B's objects. Another tenant's object must
// answer exactly like one that does not exist, and B's data must appear in no list A can read. A new /v1
// route fails the completeness check below until it has a row here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  type KeyName,
  smallJob,
  startTestApi,
  TENANT_B,
  type TestApi,
} from "../../test/support/api-test-harness.ts";

interface Objects {
  jobId: string;
  tenant: string;
  keyId: string;
  /** A rack B's running job holds GPUs on. */
  rackId: string;
}

type Expectation =
  /** Exactly the answer for an id that was never used. */
  | "as-if-missing"
  /** 2xx, and nothing of tenant B's in the body. */
  | "without-b"
  /** Refused for the role or the body, before any object is looked at. */
  | 403
  | 422;

/** The control plane's clock runs at the wall clock's pace in these tests. */
const YEAR = new Date().getUTCFullYear();

interface Row {
  /** As in the OpenAPI document: method and path template. */
  route: string;
  request: (o: Objects) => { method: "GET" | "POST" | "PUT"; url: string; body?: unknown };
  expect: Expectation | Record<"adminA" | "memberA", Expectation>;
}

const ROWS: Row[] = [
  {
    route: "GET /v1/jobs/{id}",
    request: (o) => ({ method: "GET", url: `/v1/jobs/${o.jobId}` }),
    expect: "as-if-missing",
  },
  {
    route: "POST /v1/jobs/{id}/cancel",
    request: (o) => ({ method: "POST", url: `/v1/jobs/${o.jobId}/cancel` }),
    expect: "as-if-missing",
  },
  {
    route: "GET /v1/jobs",
    request: () => ({ method: "GET", url: "/v1/jobs?limit=1000" }),
    expect: "without-b",
  },
  {
    route: "GET /v1/jobs",
    request: (o) => ({ method: "GET", url: `/v1/jobs?tenant=${o.tenant}` }),
    expect: "as-if-missing",
  },
  {
    route: "POST /v1/jobs",
    request: (o) => ({ method: "POST", url: "/v1/jobs", body: smallJob({ tenant: o.tenant }) }),
    expect: 422,
  },
  { route: "GET /v1/queue", request: () => ({ method: "GET", url: "/v1/queue" }), expect: "without-b" },
  { route: "GET /v1/facility", request: () => ({ method: "GET", url: "/v1/facility" }), expect: "without-b" },
  {
    route: "GET /v1/facility/occupancy",
    request: () => ({ method: "GET", url: "/v1/facility/occupancy" }),
    expect: "without-b",
  },
  {
    route: "GET /v1/facility/energy",
    request: () => ({ method: "GET", url: "/v1/facility/energy" }),
    expect: "without-b",
  },
  {
    route: "GET /v1/facility/orphans",
    request: () => ({ method: "GET", url: "/v1/facility/orphans" }),
    expect: 403,
  },
  // A simulation replays every tenant's work: its reports are for operators alone.
  {
    route: "GET /v1/simulation-reports",
    request: () => ({ method: "GET", url: "/v1/simulation-reports" }),
    expect: 403,
  },
  {
    route: "GET /v1/simulation-reports/{id}",
    request: () => ({ method: "GET", url: "/v1/simulation-reports/any-run" }),
    expect: 403,
  },
  {
    route: "GET /v1/facility/racks",
    request: () => ({ method: "GET", url: "/v1/facility/racks" }),
    expect: "without-b",
  },
  {
    route: "GET /v1/facility/racks/{id}",
    request: (o) => ({ method: "GET", url: `/v1/facility/racks/${encodeURIComponent(o.rackId)}` }),
    expect: "without-b",
  },
  { route: "GET /v1/tiers", request: () => ({ method: "GET", url: "/v1/tiers" }), expect: "without-b" },
  { route: "GET /v1/me", request: () => ({ method: "GET", url: "/v1/me" }), expect: "without-b" },
  { route: "GET /v1/tenants", request: () => ({ method: "GET", url: "/v1/tenants" }), expect: 403 },
  {
    route: "GET /v1/tenants/{id}",
    request: (o) => ({ method: "GET", url: `/v1/tenants/${o.tenant}` }),
    expect: "as-if-missing",
  },
  {
    route: "PUT /v1/tenants/{id}",
    request: (o) => ({ method: "PUT", url: `/v1/tenants/${o.tenant}`, body: { tier: "global" } }),
    expect: 403,
  },
  {
    route: "GET /v1/api-keys",
    request: () => ({ method: "GET", url: "/v1/api-keys" }),
    expect: { adminA: "without-b", memberA: 403 },
  },
  {
    route: "GET /v1/api-keys",
    request: (o) => ({ method: "GET", url: `/v1/api-keys?tenant=${o.tenant}` }),
    expect: { adminA: "as-if-missing", memberA: 403 },
  },
  {
    route: "POST /v1/api-keys",
    request: (o) => ({
      method: "POST",
      url: "/v1/api-keys",
      body: { name: "intruder", role: "tenant-admin", tenant: o.tenant },
    }),
    expect: { adminA: 422, memberA: 403 },
  },
  {
    route: "POST /v1/api-keys/{id}/revoke",
    request: (o) => ({ method: "POST", url: `/v1/api-keys/${o.keyId}/revoke` }),
    expect: { adminA: "as-if-missing", memberA: 403 },
  },
  { route: "GET /v1/usage", request: () => ({ method: "GET", url: "/v1/usage" }), expect: "without-b" },
  {
    route: "GET /v1/usage",
    request: (o) => ({ method: "GET", url: `/v1/usage?tenant=${o.tenant}` }),
    expect: "as-if-missing",
  },
  {
    route: "GET /v1/audit",
    request: () => ({ method: "GET", url: "/v1/audit?limit=1000" }),
    expect: "without-b",
  },
  {
    route: "GET /v1/audit",
    request: (o) => ({ method: "GET", url: `/v1/audit?tenant=${o.tenant}` }),
    expect: "as-if-missing",
  },
  {
    route: "GET /v1/audit/export",
    request: (o) => ({ method: "GET", url: `/v1/audit/export?tenant=${o.tenant}` }),
    expect: 403,
  },
  {
    route: "GET /v1/reports/eed",
    request: () => ({ method: "GET", url: `/v1/reports/eed?year=${YEAR}` }),
    expect: 403,
  },
  {
    route: "GET /v1/reports/footprint",
    request: () => ({ method: "GET", url: `/v1/reports/footprint?year=${YEAR}` }),
    expect: "without-b",
  },
  {
    route: "GET /v1/reports/footprint",
    request: (o) => ({ method: "GET", url: `/v1/reports/footprint?year=${YEAR}&tenant=${o.tenant}` }),
    expect: "as-if-missing",
  },
];

/**
 * Streams cannot be walked with inject(); sse.test.ts checks that B's events never reach A, and
 * routes/facility-racks.test.ts that a ticket opens the stream as its own key only.
 */
const COVERED_ELSEWHERE = ["GET /v1/events", "POST /v1/events/tickets"];

const NEVER_USED: Objects = {
  jobId: "job_00000000000000000000000000",
  tenant: "no-such-tenant",
  keyId: "key_00000000000000000000000000",
  rackId: "no-test/hall-a-r001",
};

let api: TestApi;
let b: Objects;
let runningJobOfB: string;

beforeAll(async () => {
  api = await startTestApi();
  const queued = await api.call("memberB", "POST", "/v1/jobs", smallJob({ name: "b-secret-plan" }));
  const running = await api.call("memberB", "POST", "/v1/jobs", smallJob({ notBefore: null }));
  runningJobOfB = running.json().id;
  await eventually("B's job to start", async () => {
    const job = (await api.call("memberB", "GET", `/v1/jobs/${runningJobOfB}`)).json();
    return job.state === "running";
  });
  const held = (await api.call("memberB", "GET", `/v1/jobs/${runningJobOfB}`)).json().allocation;
  const rackId = (held.nodes[0].nodeId as string).replace(/-n\d+$/, "");
  b = { jobId: queued.json().id, tenant: TENANT_B, keyId: api.keyIds.memberB, rackId };
});
afterAll(() => api.close());

/** Every trace of tenant B that must not show in a response A receives. */
function markersOfB(): string[] {
  return [TENANT_B, b.jobId, runningJobOfB, api.keyIds.adminB, api.keyIds.memberB, "b-secret-plan"];
}

describe("tenant isolation", () => {
  for (const caller of ["adminA", "memberA"] as const) {
    for (const row of ROWS) {
      const expectation = typeof row.expect === "object" ? row.expect[caller] : row.expect;
      const shown = row.request(NEVER_USED).url.replace(/no-such-tenant|job_0+|key_0+/, "{B}");
      it(`${caller}: ${row.route} (${shown}) → ${expectation}`, async () => {
        const { method, url, body } = row.request(b);
        const res = await api.call(caller as KeyName, method, url, body);
        if (expectation === "as-if-missing") {
          const missing = row.request(NEVER_USED);
          const control = await api.call(caller, missing.method, missing.url, missing.body);
          expect(res.statusCode).toBe(404);
          expect(control.statusCode).toBe(404);
          const seenAsMissing = res.body
            .replaceAll(b.jobId, NEVER_USED.jobId)
            .replaceAll(b.tenant, NEVER_USED.tenant)
            .replaceAll(b.keyId, NEVER_USED.keyId);
          expect(seenAsMissing).toBe(control.body);
        } else if (expectation === "without-b") {
          expect(res.statusCode).toBe(200);
          for (const marker of markersOfB()) expect(res.body).not.toContain(marker);
        } else {
          expect(res.statusCode).toBe(expectation);
        }
      });
    }
  }

  it("leaves B's job and key exactly as they were after A's attempts", async () => {
    const job = (await api.call("memberB", "GET", `/v1/jobs/${b.jobId}`)).json();
    expect(job.state).toBe("queued");
    expect((await api.call("memberB", "GET", "/v1/jobs")).statusCode).toBe(200);
  });

  it("has a row for every /v1 route in the OpenAPI document", async () => {
    const doc = (await api.call(null, "GET", "/openapi.json")).json() as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const walked = new Set([...ROWS.map((r) => r.route), ...COVERED_ELSEWHERE]);
    expect(documented.filter((route) => !walked.has(route))).toEqual([]);
  });
});
