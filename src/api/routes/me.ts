// /v1/me: who the key in hand is (its role and tenant), so a client such as the dashboard can show what
// the key may do without trying each route. It tells a key's holder nothing the key does not already allow.
import { z } from "zod";
import type { ApiApp } from "../api-context.ts";
import { callerOf } from "../auth/authenticate-hook.ts";
import { withExample } from "../schemas/common.ts";
import { withProblems } from "../schemas/responses.ts";

const meWireSchema = withExample(
  z.object({
    keyId: z.string(),
    role: z.enum(["operator", "tenant-admin", "tenant-member"]),
    tenant: z.string().nullable().describe("The key's tenant; null for operator keys."),
  }),
  { keyId: "key_01m8kd6wse3q4b9k2n7xv5t0pa", role: "tenant-admin", tenant: "aurora-labs" },
);

export function meRoutes(app: ApiApp): void {
  app.get(
    "/me",
    {
      schema: {
        tags: ["api-keys"],
        summary: "The key's own role and tenant",
        response: withProblems({ 200: meWireSchema }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { keyId: caller.keyId, role: caller.role, tenant: caller.tenantId };
    },
  );
}
