// `fjord usage`: GPU-hours per tenant over a period (default the last 30 days), and whatever other figures
// /v1/usage returns per tenant. Tenant keys get their own row; operators every tenant or one.
import type { Command } from "commander";
import { z } from "zod";
import { isoTimestamp } from "../../api/schemas/common.ts";
import { idSchema, timestampMs, validate } from "../../model/input-schemas.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import type { CliIo } from "../io.ts";
import { stableJson } from "../render/stable-json.ts";
import { usageTable } from "../render/usage-table.ts";

export interface UsageOptions extends ApiOptions {
  from?: string;
  to?: string;
  tenant?: string;
}

/** What this command needs of the answer; further per-tenant figures are kept and shown as columns. */
const usageSchema = z.object({
  from: isoTimestamp,
  to: isoTimestamp,
  tenants: z.array(z.looseObject({ tenant: z.string(), gpuHours: z.number() })),
});

export function registerUsage(program: Command, io: CliIo): Command {
  const command = program
    .command("usage")
    .description("GPU-hours, energy, water, heat reused and CO2e per tenant over a period")
    .option("--from <time>", "start of the period, ISO 8601 (default 30 days before --to)")
    .option("--to <time>", "end of the period (exclusive), ISO 8601 (default now)")
    .option("--tenant <id>", "operators: only this tenant");
  return withApiOptions(command)
    .option("--json", "print the API's JSON")
    .action(async (_options: unknown, cmd: Command) => {
      const options = cmd.opts<UsageOptions>();
      const query = {
        from: time(options.from, "--from"),
        to: time(options.to, "--to"),
        tenant: options.tenant === undefined ? undefined : validate(idSchema, options.tenant, "--tenant"),
      };
      const usage = await apiClient(options).get("usage", usageSchema, query);
      io.out(options.json ? stableJson(usage.json) : usageTable(usage.data));
    });
}

function time(text: string | undefined, flag: string): string | undefined {
  return text === undefined ? undefined : new Date(validate(timestampMs, text, flag)).toISOString();
}
