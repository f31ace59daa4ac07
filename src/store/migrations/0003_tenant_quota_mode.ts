// Tenants learn whether their quota is hard or borrowable (policy `quotaMode`); those stored before were
// all hard.
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("tenants")
    .addColumn("quota_mode", "text", (c) => c.notNull().defaultTo("hard"))
    .execute();
}
