// Both backends as bare Kysely instances for migration tests, which migrate step by step themselves:
// PGlite in memory, and a fresh PostgreSQL database (null when there is none; the test is skipped).
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { MIGRATIONS } from "../../src/store/migrations/migrations.ts";
import { postgresKysely } from "../../src/store/postgres-store.ts";
import type { Database } from "../../src/store/schema.ts";
import { freshPostgresDatabase } from "./postgres.ts";

export interface MigrationBackend {
  name: string;
  open: (() => Promise<Kysely<Database>>) | null;
}

export async function migrationBackends(): Promise<MigrationBackend[]> {
  const postgresUrl = await freshPostgresDatabase();
  return [
    {
      name: "PGlite",
      open: async () => new Kysely<Database>({ dialect: new PGliteDialect(await PGlite.create()) }),
    },
    { name: "PostgreSQL", open: postgresUrl === null ? null : async () => postgresKysely(postgresUrl) },
  ];
}

export function migratorOf(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } });
}
