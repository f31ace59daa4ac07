// Picks the backend from the settings: a PostgreSQL URL means the server; otherwise embedded PGlite in
// dataDir (the service uses ./.fjord/db), or in memory when dataDir is null (tests, throwaway demos).
import { openPGliteStore } from "./pglite-store.ts";
import { openPostgresStore } from "./postgres-store.ts";
import type { Store } from "./store.ts";

export interface StoreOptions {
  /** postgres:// or postgresql:// URL; null or empty for embedded PGlite. */
  databaseUrl?: string | null;
  /** PGlite data directory; null keeps the database in memory. Ignored with a databaseUrl. */
  dataDir?: string | null;
}

/**
 * A migrated, ready store. A malformed URL or a server that does not answer is an InputError naming the
 * setting, before anything else starts.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim() ?? "";
  if (url !== "") return openPostgresStore(url);
  return openPGliteStore(options.dataDir ?? null);
}
