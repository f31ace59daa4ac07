// Both backends as the store tests use them: the Store, plus raw SQL on the same database so a test can
// tamper with rows the way someone with database access could, and a reset between tests.
import pg from "pg";
import { EMPTY_CHAIN } from "../../src/audit/hash-chain.ts";
import { AUDIT_HEAD_KEY } from "../../src/store/audit-append.ts";
import { KyselyStore } from "../../src/store/kysely-store.ts";
import { openPGlite, pgliteStore } from "../../src/store/pglite-store.ts";
import { postgresKysely } from "../../src/store/postgres-store.ts";

export interface TestBackend {
  store: KyselyStore;
  /** Runs one SQL statement on the store's database, outside the store. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Empties every table and resets the audit chain head, as a freshly migrated database. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface BackendFactory {
  name: "PGlite" | "PostgreSQL";
  /** null when the backend is not available here (no PostgreSQL server outside CI). */
  open: (() => Promise<TestBackend>) | null;
}

export function backendFactories(postgresUrl: string | null): BackendFactory[] {
  return [
    { name: "PGlite", open: openPGliteBackend },
    { name: "PostgreSQL", open: postgresUrl === null ? null : () => openPostgresBackend(postgresUrl) },
  ];
}

export async function openPGliteBackend(): Promise<TestBackend> {
  const pglite = await openPGlite(null);
  const store = pgliteStore(pglite);
  await store.migrate();
  const sql = async (text: string, params: unknown[] = []) =>
    (await pglite.query<Record<string, unknown>>(text, params)).rows;
  return { store, sql, reset: () => reset(sql), close: () => store.close() };
}

export async function openPostgresBackend(url: string): Promise<TestBackend> {
  const store = new KyselyStore(postgresKysely(url));
  await store.migrate();
  const raw = new pg.Pool({ connectionString: url, max: 1 });
  // Dropping the test database at the end terminates this pool's idle connection; that is expected.
  raw.on("error", () => {});
  const sql = async (text: string, params: unknown[] = []) =>
    (await raw.query<Record<string, unknown>>(text, params)).rows;
  return {
    store,
    sql,
    reset: () => reset(sql),
    close: async () => {
      await raw.end();
      await store.close();
    },
  };
}

async function reset(sql: TestBackend["sql"]): Promise<void> {
  await sql("truncate tenants, api_keys, gpu_allocations, job_runs, jobs, audit_log, kv");
  await sql("insert into kv (key, value) values ($1, $2::jsonb)", [
    AUDIT_HEAD_KEY,
    JSON.stringify(EMPTY_CHAIN),
  ]);
}
