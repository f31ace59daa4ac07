// The API on the real store and the real control plane, with the small two-site test facility and the
// default policy, and one key per role for two tenants. Used by the API's tests only. The store is PGlite
// in memory, or a fresh PostgreSQL database when FJORD_TEST_API_DATABASE=postgresql (vitest.config.ts
// runs the API tests a second time that way).
import { fileURLToPath } from "node:url";
import type { LightMyRequestResponse } from "fastify";
import type { ApiApp } from "../../src/api/api-context.ts";
import { createApiKey } from "../../src/api/auth/api-keys.ts";
import { type ApiOptions, buildApi } from "../../src/api/build-api.ts";
import { loadFacilityFile } from "../../src/facility/load-facility-file.ts";
import type { Policy } from "../../src/model/types.ts";
import { loadPolicyFile } from "../../src/policy/load-policy-file.ts";
import type { DeferralSignals } from "../../src/service/live-control-plane.ts";
import { startControlPlane } from "../../src/service/start-control-plane.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Role } from "../../src/store/records.ts";
import { createPostgresDatabase, type TestDatabase } from "./postgres.ts";

const FACILITY_FILE = fileURLToPath(new URL("../../facilities/small-two-sites.yaml", import.meta.url));
const POLICY_FILE = fileURLToPath(new URL("../../policies/default.yaml", import.meta.url));

/** Tenant A is in the national tier, tenant B in nordic-european (policies/default.yaml). */
export const TENANT_A = "aurora-labs";
export const TENANT_B = "sisu-ai";

export type KeyName = "operator" | "adminA" | "memberA" | "adminB" | "memberB";

export interface TestApi {
  app: ApiApp;
  controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
  /** Full API keys by name. */
  keys: Record<KeyName, string>;
  keyIds: Record<KeyName, string>;
  /** inject() with the named key; JSON bodies are sent as application/json. */
  call(
    key: KeyName | null,
    method: "GET" | "POST" | "PUT",
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Makes a key of any role and returns it. */
  addKey(role: Role, tenantId: string | null, rateLimitPerMin?: number | null): Promise<string>;
  close(): Promise<void>;
}

/** What a test may change about the control plane: the policy (default policies/default.yaml), signals for deferral. */
export interface TestControlPlaneOptions {
  policy?: Policy;
  signals?: DeferralSignals;
  /** Sites that run only jobs giving a command (as Slurm sites with no default command do). */
  sitesNeedingCommand?: string[];
}

export async function startTestApi(
  options: Omit<ApiOptions, "controlPlane"> = {},
  controlPlaneOptions: TestControlPlaneOptions = {},
): Promise<TestApi> {
  const database = await testDatabase();
  const store = await openStore({ databaseUrl: database?.url ?? null, dataDir: null });
  const controlPlane = await startControlPlane({
    store,
    facility: loadFacilityFile(FACILITY_FILE),
    policy: controlPlaneOptions.policy ?? loadPolicyFile(POLICY_FILE),
    loop: { debounceMs: 5, fullPassIntervalMs: 60_000 },
    ...(controlPlaneOptions.signals === undefined ? {} : { signals: controlPlaneOptions.signals }),
    sitesNeedingCommand: controlPlaneOptions.sitesNeedingCommand ?? [],
  });
  const app = buildApi({ controlPlane, ...options });
  const addKeyWithId = async (role: Role, tenantId: string | null, rateLimitPerMin: number | null = null) => {
    const atMs = controlPlane.nowMs();
    const { key, record } = createApiKey({
      tenantId,
      role,
      name: `${role} ${tenantId ?? ""}`,
      atMs,
      rateLimitPerMin,
    });
    await store.insertApiKey(record, {
      atMs,
      actor: "system",
      action: "api-key.create",
      tenantId,
      objectType: "api-key",
      objectId: record.id,
      details: {},
    });
    return { key, id: record.id };
  };
  const made = {
    operator: await addKeyWithId("operator", null),
    adminA: await addKeyWithId("tenant-admin", TENANT_A),
    memberA: await addKeyWithId("tenant-member", TENANT_A),
    adminB: await addKeyWithId("tenant-admin", TENANT_B),
    memberB: await addKeyWithId("tenant-member", TENANT_B),
  };
  const names = Object.keys(made) as KeyName[];
  const keys = Object.fromEntries(names.map((n) => [n, made[n].key])) as Record<KeyName, string>;
  return {
    app,
    controlPlane,
    keys,
    keyIds: Object.fromEntries(names.map((n) => [n, made[n].id])) as Record<KeyName, string>,
    call: (key, method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(key === null ? {} : { authorization: `Bearer ${keys[key]}` }), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    addKey: async (role, tenantId, rateLimitPerMin = null) =>
      (await addKeyWithId(role, tenantId, rateLimitPerMin)).key,
    close: async () => {
      await app.close();
      await controlPlane.stop();
      await store.close();
      await database?.drop();
    },
  };
}

/** A PostgreSQL database when the run asks for one, else null (PGlite in memory). */
async function testDatabase(): Promise<TestDatabase | null> {
  if (process.env.FJORD_TEST_API_DATABASE !== "postgresql") return null;
  const database = await createPostgresDatabase("the API tests");
  // vitest.config.ts leaves this run out when no server answered; one that vanished since is an error.
  if (database === null)
    throw new Error("the API tests on PostgreSQL need the server (see the warning above)");
  return database;
}

/**
 * A job that fits the small facility: 4 GPUs for an hour, not before 2031 so it stays queued and tests do
 * not compete for GPUs; pass `notBefore: null` for one that should start.
 */
export function smallJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { gpus: 4, estimatedRuntimeS: 3600, notBefore: "2031-01-01T00:00:00Z", ...overrides };
}

/** Polls until `probe` returns a value; for state the control loop reaches on its own. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
