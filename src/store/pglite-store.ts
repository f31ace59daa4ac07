// The embedded Store: PostgreSQL compiled to WebAssembly, in a data directory or in memory, so a laptop
// or a test runs Fjord with no server. PGlite has a single connection, so its transactions run one at a
// time (the dialect queues them).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { KyselyStore } from "./kysely-store.ts";
import { initialisedDataDir } from "./pglite-template.ts";
import type { Database } from "./schema.ts";

/** int8 (oid 20) as JS numbers, as on the PostgreSQL backend. */
const PARSERS = { 20: (text: string) => Number(text) };

/**
 * A freshly migrated database, dumped once per process. Creating a PGlite database runs initdb (several
 * seconds); loading a dump takes well under one, which is what makes an in-memory store per test cheap.
 */
let migratedTemplate: Promise<Blob> | null = null;

/** A migrated store in `dataDir` (created if missing), or in memory when it is null. */
export async function openPGliteStore(dataDir: string | null): Promise<KyselyStore> {
  const store = pgliteStore(await openPGlite(dataDir));
  await store.migrate();
  return store;
}

/** The PGlite database itself: in `dataDir` (created if missing), or a migrated one in memory. */
export async function openPGlite(dataDir: string | null): Promise<PGlite> {
  if (dataDir === null) return PGlite.create({ loadDataDir: await template(), parsers: PARSERS });
  mkdirSync(dataDir, { recursive: true });
  // A directory PostgreSQL never initialised starts as a copy of the shipped one instead of running initdb.
  const initialised = existsSync(join(dataDir, "PG_VERSION")) ? null : initialisedDataDir();
  return PGlite.create({ dataDir, parsers: PARSERS, ...(initialised ? { loadDataDir: initialised } : {}) });
}

/** A store on an open PGlite instance (closed with the store); not migrated yet. */
export function pgliteStore(pglite: PGlite): KyselyStore {
  return new KyselyStore(new Kysely<Database>({ dialect: new PGliteDialect(pglite) }));
}

function template(): Promise<Blob> {
  migratedTemplate ??= (async () => {
    const initialised = initialisedDataDir();
    const pglite = await PGlite.create({
      parsers: PARSERS,
      ...(initialised ? { loadDataDir: initialised } : {}),
    });
    const store = pgliteStore(pglite);
    await store.migrate();
    const dump = await pglite.dumpDataDir("none");
    await store.close();
    return dump;
  })().catch((err: unknown) => {
    migratedTemplate = null;
    throw err;
  });
  return migratedTemplate;
}
