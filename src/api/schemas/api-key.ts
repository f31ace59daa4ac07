// API keys on the wire. The secret appears once, in the creation response; hashes never leave the store.
import { z } from "zod";
import { idSchema, strict } from "../../model/input-schemas.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import { isoFromMs, isoOrNull, isoTimestamp, text } from "./common.ts";

export const ROLES = ["operator", "tenant-admin", "tenant-member"] as const;

export const apiKeyBodySchema = strict({
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
});

export const apiKeyWireSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  tenant: z.string().nullable(),
  rateLimitPerMin: z.number().int().nullable(),
  createdAt: isoTimestamp,
  revokedAt: isoTimestamp.nullable(),
});

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
