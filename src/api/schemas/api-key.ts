// API keys on the wire. The secret appears once, in the creation response; hashes never leave the store.
import { z } from "zod";
import { idSchema, strict } from "../../model/input-schemas.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import { EXAMPLE_AT, isoFromMs, isoOrNull, isoTimestamp, text, withExample } from "./common.ts";

export const ROLES = ["operator", "tenant-admin", "tenant-member"] as const;

export const apiKeyBodySchema = withExample(
  strict({
    name: text(200).describe('What the key is for, e.g. "ci pipeline".'),
    role: z.enum(ROLES),
    tenant: idSchema
      .nullish()
      .describe(
        "Tenant of a tenant-admin or tenant-member key; tenant admins may leave it out. Not for operator keys.",
      ),
    rateLimitPerMin: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .nullish()
      .describe("Requests per minute for this key (operators only); omitted or null = the server default."),
  }),
  { name: "ci pipeline", role: "tenant-member", tenant: "aurora-labs" },
);

export const apiKeyWireSchema = withExample(
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tenant: z.string().nullable(),
    rateLimitPerMin: z.number().int().nullable(),
    createdAt: isoTimestamp,
    revokedAt: isoTimestamp.nullable(),
  }),
  {
    id: "key_01m8kd6wse3q4b9k2n7xv5t0pa",
    name: "ci pipeline",
    role: "tenant-member",
    tenant: "aurora-labs",
    rateLimitPerMin: null,
    createdAt: EXAMPLE_AT.submitted,
    revokedAt: null,
  },
);

export const createdApiKeySchema = z.object({
  key: z.string().describe("The full key, `fjk_<id>_<secret>`: shown only in this response."),
  apiKey: apiKeyWireSchema,
});

export function apiKeyToWire(k: ApiKeyRecord): z.output<typeof apiKeyWireSchema> {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    tenant: k.tenantId,
    rateLimitPerMin: k.rateLimitPerMin,
    createdAt: isoFromMs(k.createdAtMs),
    revokedAt: isoOrNull(k.revokedAtMs),
  };
}
