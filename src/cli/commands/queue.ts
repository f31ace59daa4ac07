// `fjord queue`: the waiting jobs per tier with the scheduler's reason and estimated start, as the last
// scheduling pass explained them.
import type { Command } from "commander";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "../../api/schemas/common.ts";
import { queueWireSchema } from "../../api/schemas/queue.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { unknownReference } from "../../model/input-schemas.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { pageLimit } from "../client/page-limit.ts";
import type { CliIo } from "../io.ts";
import { queueTables } from "../render/queue-tables.ts";
import { stableJson } from "../render/stable-json.ts";

export interface QueueOptions extends ApiOptions {
  tier?: string;
  limit?: string;
}

export function registerQueue(program: Command, io: CliIo): Command {
  const command = program
    .command("queue")
    .description("show the waiting jobs per tier, why each waits and when it is expected to start")
    .option("--tier <tier>", "only this tier")
    .option(
      "--limit <n>",
      `most jobs shown per tier, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})`,
    );
  return withApiOptions(command)
    .option("--json", "print the API's JSON (with --tier, only that tier)")
    .action(async (_options: unknown, cmd: Command) => {
      io.out(await runQueue(cmd.opts<QueueOptions>()));
    });
}

async function runQueue(options: QueueOptions): Promise<string> {
  const limit = options.limit === undefined ? undefined : String(pageLimit(options.limit));
  const answer = await apiClient(options).get("queue", queueWireSchema, { limit });
  const queue = answer.data;
  const json = answer.json as { at: string; tiers: { tier: string }[] };
  if (options.tier === undefined) return options.json ? stableJson(json) : queueTables(queue);

  const { tier } = options;
  const known = queue.tiers.map((t) => t.tier);
  if (!known.includes(tier))
    throw new InputError("--tier", [issueAt([], unknownReference("tier", tier, known))]);
  if (options.json) return stableJson({ ...json, tiers: json.tiers.filter((t) => t.tier === tier) });
  return queueTables({ ...queue, tiers: queue.tiers.filter((t) => t.tier === tier) });
}
