import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../test/support/api-test-harness.ts";
import { jobSubmissionSchema } from "./schemas/job-submission.ts";

// The parts of the OpenAPI 3.1 document structure a client generator relies on (OpenAPI 3.1.0 §4.8).
const statusCode = "^([1-5][0-9][0-9]|[1-5]XX|default)$";
const OPENAPI_31_STRUCTURE = {
  type: "object",
  required: ["openapi", "info", "paths"],
  properties: {
    openapi: { type: "string", pattern: "^3\\.1\\.\\d+$" },
    info: { type: "object", required: ["title", "version"] },
    components: {
      type: "object",
      properties: { securitySchemes: { type: "object" }, schemas: { type: "object" } },
    },
    paths: {
      type: "object",
      propertyNames: { pattern: "^/" },
      additionalProperties: {
        type: "object",
        propertyNames: { enum: ["get", "put", "post", "delete", "options", "head", "patch", "trace"] },
        additionalProperties: {
          type: "object",
          required: ["responses"],
          properties: {
            parameters: {
              type: "array",
              items: {
                type: "object",
                required: ["name", "in", "schema"],
                properties: { in: { enum: ["query", "header", "path", "cookie"] } },
              },
            },
            requestBody: {
              type: "object",
              required: ["content"],
              properties: { content: { type: "object", minProperties: 1 } },
            },
            responses: {
              type: "object",
              minProperties: 1,
              propertyNames: { pattern: statusCode },
              additionalProperties: { type: "object", required: ["description"] },
            },
            security: { type: "array" },
          },
        },
      },
    },
  },
};

interface Operation {
  parameters?: { name: string; in: string; schema: object }[];
  requestBody?: {
    content: Record<string, { schema: { properties?: object; additionalProperties?: boolean } }>;
  };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

let api: TestApi;
let doc: Doc;
beforeAll(async () => {
  api = await startTestApi();
  doc = (await api.call(null, "GET", "/openapi.json")).json();
});
afterAll(() => api.close());

function* operations(): Generator<[string, Operation]> {
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) yield [`${method.toUpperCase()} ${path}`, op];
}

describe("/openapi.json", () => {
  it("has the structure of an OpenAPI 3.1 document", () => {
    const ajv = new Ajv2020({ allErrors: true });
    const valid = ajv.validate(OPENAPI_31_STRUCTURE, doc);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("holds only valid JSON Schema 2020-12 for every parameter, body and response", () => {
    const ajv = new Ajv2020({ strict: false });
    for (const [route, op] of operations()) {
      const schemas = [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
      ];
      for (const schema of schemas)
        expect(ajv.validateSchema(schema), `${route}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  it("documents every route of the API, with its path parameters", async () => {
    const routes = [...operations()].map(([route]) => route);
    for (const route of [
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
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
      "GET /v1/events",
    ])
      expect(routes).toContain(route);
    for (const [route, op] of operations()) {
      const pathParams = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const documented = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      expect(documented, route).toEqual(pathParams);
    }
  });

  it("documents each request body with the schema that validates it: every field, and no others", () => {
    for (const [route, op] of operations()) {
      if (!route.startsWith("POST") && !route.startsWith("PUT")) continue;
      if (route.endsWith("/cancel") || route.endsWith("/revoke")) {
        expect(op.requestBody, route).toBeUndefined();
        continue;
      }
      const body = op.requestBody?.content["application/json"]?.schema;
      expect(body?.additionalProperties, route).toBe(false);
    }
    const submit = doc.paths["/v1/jobs"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(submit.properties ?? {}).sort()).toEqual(
      Object.keys(jobSubmissionSchema.shape).sort(),
    );
    const headers = doc.paths["/v1/jobs"]!.post!.parameters!.filter((p) => p.in === "header").map(
      (p) => p.name,
    );
    expect(headers).toContain("idempotency-key");
  });

  it("documents problem responses as application/problem+json on every route", () => {
    for (const [route, op] of operations())
      expect(Object.keys(op.responses["4XX"]?.content ?? {}), route).toEqual(["application/problem+json"]);
  });

  it("serves the documentation page at /docs from bundled assets", async () => {
    const page = await api.call(null, "GET", "/docs/");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("swagger-ui");
    const script = await api.call(null, "GET", "/docs/static/swagger-ui-bundle.js");
    expect(script.statusCode).toBe(200);
  });
});
