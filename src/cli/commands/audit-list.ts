// `fjord audit list`: the audit entries the key may see, oldest first, through GET /v1/audit — a tenant its
// own tenant's, an operator every tenant's or one's (--tenant). Reading them is itself audited.
import type { Command } from "commander";
import { auditEntryWireSchema } from "../../api/schemas/audit.ts";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "../../api/schemas/common.ts";
import { idSchema, validate } from "../../model/input-schemas.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { pageLimit } from "../client/page-limit.ts";
import { readPages } from "../client/read-pages.ts";
import { EXIT_CODES_HELP } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { auditEntriesTable } from "../render/audit-entries-table.ts";
import { stableJson } from "../render/stable-json.ts";

interface AuditListOptions extends ApiOptions {
  tenant?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
}

export function registerAuditList(audit: Command, io: CliIo): void {
  withApiOptions(
    audit
      .command("list")
      .description("list the audit entries your key may see, oldest first: a tenant its own, operators all")
      .option("--tenant <id>", "operators: only this tenant's entries")
      .option("--limit <n>", `entries per page, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})`)
      .option("--all", "every page, not just the first"),
  )
    .option("--json", "print the API's JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      io.out(await listAudit(cmd.opts<AuditListOptions>()));
    });
}

async function listAudit(options: AuditListOptions): Promise<string> {
  const query = {
    tenant: options.tenant === undefined ? undefined : validate(idSchema, options.tenant, "--tenant"),
    limit: options.limit === undefined ? undefined : String(pageLimit(options.limit)),
  };
  const { items, jsonItems, nextCursor } = await readPages(
    apiClient(options),
    "audit",
    auditEntryWireSchema,
    query,
    options.all === true,
  );
  if (options.json) return stableJson({ items: jsonItems, nextCursor });
  const more = nextCursor === null ? "" : "more entries follow: add --all for every page\n";
  return auditEntriesTable(items) + more;
}
