// Random and mutated requests against every route: whatever a client sends, the answer is never a 5xx,
// every refusal is a problem document (naming the fields when it is about the request's fields), and a
// refused request leaves no trace in the audit log (every change a key makes is audited in the same
// transaction, so no entry means nothing changed). The strings include what databases choke on (NUL, lone
// UTF-16 surrogates) in every free-text field, label keys named after Object.prototype's properties, and
// page cursors made of any JSON. vitest.config.ts runs this file on PGlite and again on PostgreSQL.
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

/** Characters that text columns, JSON columns and parsers treat specially. */
const hostileChar = fc.constantFrom(
  "\u0000",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\u001f",
  "\u007f",
  "\u2028",
  "\ufeff",
  "\uffff",
  "🚀",
  "é",
  '"',
  "\\",
  "%",
);

/** Names of Object.prototype's properties: as keys of a plain object they find inherited values. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  printable(40),
  fc.string({ unit: fc.oneof(hostileChar, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 12 }),
  fc.constantFrom(...PROTOTYPE_NAMES),
);

const labels = fc.dictionary(
  fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, "team", "a"), anyText),
  fc.oneof(anyText, fc.constantFrom(...PROTOTYPE_NAMES)),
  { maxKeys: 3 },
);

/** Valid bodies with a hostile string in each free-text field. */
const hostileBody = fc.oneof(
  fc
    .record({ name: anyText, labels, gpuModel: fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })) })
    .map((fields) => smallJob({ tenant: TENANT_A, ...fields })),
  anyText.map((region) => smallJob({ tenant: TENANT_A, maxLatency: { region, ms: 5 } })),
  anyText.map((name) => ({ tier: "global", name, quotaGpus: 4 })),
  anyText.map((name) => ({ name, role: "tenant-member", tenant: TENANT_B })),
);

const toCursor = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** Page cursors built from any JSON, and from positions with hostile ids. */
const cursor = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map(toCursor),
  fc.tuple(fc.oneof(fc.integer(), fc.double()), anyText).map(toCursor),
  fc.tuple(fc.integer()).map(toCursor),
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
  { arbitrary: hostileBody, weight: 3 },
  { arbitrary: fc.constantFrom(...VALID_BODIES), weight: 2 },
  { arbitrary: jsonish, weight: 2 },
  { arbitrary: anyText.map((text) => ({ raw: text })), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

const query = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom("limit", "cursor", "state", "tenant", "from", "to"), printable(8)),
    fc.oneof(interesting, anyText, fc.array(interesting, { maxLength: 3 })),
    { maxKeys: 4 },
  ),
  cursor.map((c) => ({ cursor: c })),
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

/**
 * encodeURIComponent, except that a lone surrogate is sent as the bytes its code unit would have in UTF-8
 * (%ED%A0%80 for U+D800), as a client that does not check its strings would send it.
 */
function percentEncode(text: string): string {
  return text.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join("");
  });
}

/** Problem types about the request's own fields: each names them. */
const FIELD_PROBLEMS = new Set(["urn:fjord:problem:invalid-request", "urn:fjord:problem:job-refused"]);

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
          const url = template.replace("{id}", percentEncode(id)) + (search.size > 0 ? `?${search}` : "");
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
            const problem = res.json();
            expect(problem).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: res.statusCode,
              detail: expect.any(String),
            });
            if (FIELD_PROBLEMS.has(problem.type))
              expect(problem.errors, `${method} ${url}: ${res.body}`).toEqual(
                expect.arrayContaining([{ field: expect.any(String), reason: expect.any(String) }]),
              );
            expect(written, `${method} ${url} was refused but changed something`).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
