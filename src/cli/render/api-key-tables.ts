// `fjord keys`: API keys by id, what they are for, their role and tenant; never a secret, except the one
// shown once when a key is created.
import type { z } from "zod";
import type { apiKeyWireSchema } from "../../api/schemas/api-key.ts";
import { formatInt, formatUtcMinute } from "../../model/format.ts";
import { fieldTable, right, titledTable } from "./plain-table.ts";

export type ApiKeyWire = z.output<typeof apiKeyWireSchema>;

export function apiKeyListTable(keys: readonly ApiKeyWire[]): string {
  return titledTable(
    "API keys",
    ["Key", "Name", "Role", "Tenant", "Requests per minute", "Created", "Revoked"],
    keys.map((k) => [
      k.id,
      k.name,
      k.role,
      k.tenant ?? "",
      right(k.rateLimitPerMin === null ? "default" : formatInt(k.rateLimitPerMin)),
      minute(k.createdAt),
      k.revokedAt === null ? "" : minute(k.revokedAt),
    ]),
  );
}

export function apiKeyDetail(k: ApiKeyWire): string {
  return fieldTable([
    ["Key", k.id],
    ["Name", k.name],
    ["Role", k.role],
    ["Tenant", k.tenant ?? "none (operator key)"],
    [
      "Requests per minute",
      k.rateLimitPerMin === null ? "the service's default" : formatInt(k.rateLimitPerMin),
    ],
    ["Created", minute(k.createdAt)],
    ["Revoked", k.revokedAt === null ? "no" : minute(k.revokedAt)],
  ]);
}

/** The new key's details, then the key itself on a line of its own, with the one warning that matters. */
export function createdApiKey(key: string, record: ApiKeyWire): string {
  return (
    apiKeyDetail(record) +
    "The API key, shown only now (the service keeps a hash; store it where its user will find it):\n" +
    `${key}\n`
  );
}

function minute(iso: string): string {
  return formatUtcMinute(Date.parse(iso));
}
