// Random and mutated requests against every route: whatever a client sends, the answer is never a 5xx,
// every refusal is a problem document, and a refused request leaves no trace in the audit log (every
// change a key makes is audited in the same transaction, so no entry means nothing changed).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type KeyName,
  smallJob,
  startTestApi,
  TENANT_A,
  TENANT_B,
  type TestApi,
} from "../../test/support/api-test-harness.ts";

// Each case is one request against the real store, so this runs a tenth of the usual property runs.
const RUNS = Math.max(100, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 10);

/** Every route but the event stream, which never ends and so cannot be awaited with inject(). */
const ROUTES = [
  "GET /healthz",
  "GET /readyz",
  "GET /metrics",
  "GET /openapi.json",
  "POST /v1/jobs",
  "GET /v1/jobs",
  "GET /v1/jobs/{id}",
  "POST /v1/jobs/{id}/cancel",
  "GET /v1/queue",
  "GET /v1/facility",
  "GET /v1/facility/occupancy",
  "GET /v1/tenants",
  "GET /v1/tenants/{id}",
  "PUT /v1/tenants/{id}",
  "POST /v1/api-keys",
  "GET /v1/api-keys",
  "POST /v1/api-keys/{id}/revoke",
  "GET /v1/usage",
  "GET /v1/audit",
  "GET /v1/audit/export",
  "PATCH /v1/jobs",
  "DELETE /v1/jobs/{id}",
  "GET /v1/{id}",
] as const;

const VALID_BODIES: Record<string, unknown>[] = [
  smallJob({ tenant: TENANT_A, name: "fuzz", labels: { a: "b" } }),
  {
    nodes: 1,
    gpusPerNode: 4,
    estimatedRuntimeS: 60,
    residency: ["EEA"],
    maxLatency: { region: "nordics", ms: 5 },
  },
  { tier: "global", name: "Fuzz Tenant", quotaGpus: 4 },
  { name: "fuzz key", role: "tenant-member", tenant: TENANT_B },
];

const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  printable(40),
);

const interesting = fc.constantFrom(
  "",
  "0",
  "-1",
  "1e3",
  "1000",
  "1001",
  "queued,running",
  "bogus",
  TENANT_A,
  TENANT_B,
  "2026-12-01T00:00:00Z",
  "2026-13-45T99:99:99Z",
  "__proto__",
  "constructor",
  "%00",
  "\u0000",
  "a".repeat(600),
);

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  interesting,
  fc.constant(null),
  fc.double(),
  fc.bigInt().map(String),
);

/** A valid body with fields replaced, removed or added. */
const mutatedBody = fc
  .tuple(
    fc.constantFrom(...VALID_BODIES),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...VALID_BODIES.flatMap((b) => Object.keys(b)), "__proto__", "extra"),
          anyText,
        ),
        fc.option(jsonish),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([base, edits]) => {
    const body: Record<string, unknown> = { ...base };
    for (const [key, value] of edits) {
      if (value === null) delete body[key];
      else Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return body;
  });

const body = fc.oneof(
  { arbitrary: mutatedBody, weight: 4 },
  { arbitrary: fc.constantFrom(...VALID_BODIES), weight: 2 },
  { arbitrary: jsonish, weight: 2 },
  { arbitrary: anyText.map((text) => ({ raw: text })), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

const query = fc.dictionary(
  fc.oneof(fc.constantFrom("limit", "cursor", "state", "tenant", "from", "to"), printable(8)),
  fc.oneof(interesting, anyText, fc.array(interesting, { maxLength: 3 })),
  { maxKeys: 4 },
);

const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/json; charset=latin1",
      "application/problem+json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
    weight: 2,
  },
);

const caller = fc.oneof(
  { arbitrary: fc.constantFrom<KeyName>("operator", "adminA", "memberA", "adminB", "memberB"), weight: 6 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: printable(80).map((header) => ({ header })), weight: 1 },
);

let api: TestApi;
let ids: string[];

beforeAll(async () => {
  api = await startTestApi({ defaultRateLimitPerMin: 1_000_000 });
  const job = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
  ids = [job, api.keyIds.memberB, TENANT_A, TENANT_B, "jobs", "..", "%2F"];
});
afterAll(() => api.close());

let seenSeq = 0;

/** Audit entries written by an API key (not by the scheduler or executor on their own) since the last call. */
async function newKeyEntries(): Promise<string[]> {
  const found: string[] = [];
  for (;;) {
    const page = await api.controlPlane.store.listAudit({ afterSeq: seenSeq, limit: 1000 });
    if (page.items.length === 0) return found;
    for (const e of page.items) {
      seenSeq = Math.max(seenSeq, e.seq);
      if (e.actor.startsWith("key_")) found.push(`${e.action} ${e.objectId}`);
    }
  }
}

describe("the API under random input", () => {
  it("never answers 5xx, answers every refusal with a problem document, and changes nothing it refuses", async () => {
    await newKeyEntries();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(fc.constantFrom(...ids), anyText),
        query,
        body,
        contentType,
        caller,
        fc.option(printable(300)),
        async (route, id, params, payload, type, who, idempotencyKey) => {
          const [method, template] = route.split(" ") as [string, string];
          const search = new URLSearchParams();
          for (const [k, v] of Object.entries(params))
            for (const value of [v].flat()) search.append(k, value);
          const url =
            template.replace("{id}", encodeURIComponent(id)) + (search.size > 0 ? `?${search}` : "");
          const headers: Record<string, string> = {};
          if (who !== null)
            headers.authorization = typeof who === "string" ? `Bearer ${api.keys[who]}` : who.header;
          if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
          const raw =
            typeof payload === "object" && payload !== null && "raw" in payload ? String(payload.raw) : null;
          const sent = raw ?? (payload === undefined ? undefined : JSON.stringify(payload));
          if (sent !== undefined && type !== "") headers["content-type"] = type;
          const res = await api.app.inject({
            method: method as "GET",
            url,
            headers,
            ...(sent === undefined ? {} : { payload: sent }),
          });
          expect(res.statusCode, `${method} ${url} ${sent ?? ""}: ${res.body}`).toBeLessThan(500);
          const written = await newKeyEntries();
          if (res.statusCode >= 400) {
            expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
            expect(res.json().status).toBe(res.statusCode);
            expect(written, `${method} ${url} was refused but changed something`).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
