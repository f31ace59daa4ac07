// Every migration, in order. Listed here rather than found on disk so they travel with the code (tsx,
// bundles) and the Migrator never depends on the working directory.
import type { Migration } from "kysely";
import * as initial from "./0001_initial.ts";
import * as runSites from "./0002_run_sites.ts";
import * as tenantQuotaMode from "./0003_tenant_quota_mode.ts";
import * as jobCommands from "./0004_job_commands.ts";

export const MIGRATIONS: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_run_sites": runSites,
  "0003_tenant_quota_mode": tenantQuotaMode,
  "0004_job_commands": jobCommands,
};
