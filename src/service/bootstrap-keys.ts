// The first start of a new database has no API keys, so nobody could use the API: it creates an operator
// key and a tenant-admin key for every tenant, and saves them (readable by the owner only) in the data
// directory, since their secrets are shown once and stored only as slow hashes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApiKey } from "../api/auth/api-keys.ts";
import type { Tenant } from "../model/types.ts";
import type { Store } from "../store/store.ts";

export interface BootstrapKeys {
  /** Keys made now, with their secrets; empty when the database already had an operator key. */
  created: { label: string; role: string; tenantId: string | null; key: string }[];
  file: string;
}

export async function ensureApiKeys(
  store: Store,
  tenants: readonly Tenant[],
  atMs: number,
  dataDir: string,
): Promise<BootstrapKeys> {
  const file = join(dataDir, "api-keys.json");
  if ((await store.listApiKeys(null)).length > 0) return { created: [], file };
  const wanted = [
    { label: "operator", role: "operator" as const, tenantId: null },
    ...tenants.map((t) => ({
      label: `${t.id} (tenant-admin)`,
      role: "tenant-admin" as const,
      tenantId: t.id,
    })),
  ];
  const created: BootstrapKeys["created"] = [];
  for (const w of wanted) {
    const { key, record } = createApiKey({ tenantId: w.tenantId, role: w.role, name: w.label, atMs });
    await store.insertApiKey(record, {
      atMs,
      actor: "system",
      action: "api-key.create",
      tenantId: w.tenantId,
      objectType: "api-key",
      objectId: record.id,
      details: { role: w.role, name: w.label, source: "first start" },
    });
    created.push({ label: w.label, role: w.role, tenantId: w.tenantId, key });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return { created, file };
}
