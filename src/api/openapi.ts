// The OpenAPI 3.1 document is generated from the same zod schemas that validate requests and check
// responses, so it cannot drift from what the server does. /openapi.json serves it; /docs renders it with
// the Swagger UI assets bundled in the package (no third-party host is contacted).
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import type { ApiApp } from "./api-context.ts";

export async function registerOpenApi(app: ApiApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Fjord API",
        version: "1",
        description:
          "Control plane of a sovereign, renewable-powered GPU compute facility: submit jobs, see why they " +
          "wait and where they run, read usage and the audit trail. Errors are RFC 9457 problem documents.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key, `fjk_<id>_<secret>`." },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
