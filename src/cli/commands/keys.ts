// `fjord keys create|list|revoke`: API keys through /v1/api-keys. Operators manage every key; tenant admins
// their own tenant's tenant-admin and tenant-member keys. The secret is printed once, at creation.
import type { Command } from "commander";
import { z } from "zod";
import { apiKeyBodySchema, apiKeyWireSchema, createdApiKeySchema, ROLES } from "../../api/schemas/api-key.ts";
import { idSchema, validate } from "../../model/input-schemas.ts";
import { apiPath } from "../client/api-client.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { atFlags, checkedBody } from "../client/flag-body.ts";
import { numberOrText } from "../client/job-flags.ts";
import { EXIT_CODES_HELP } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { apiKeyDetail, apiKeyListTable, createdApiKey } from "../render/api-key-tables.ts";
import { stableJson } from "../render/stable-json.ts";

export interface KeyCreateOptions extends ApiOptions {
  name?: string;
  role?: string;
  tenant?: string;
  rateLimit?: string;
}

/** Each field of POST /v1/api-keys by the flag that sets it. */
const FLAG_OF_FIELD: ReadonlyMap<string, string> = new Map([
  ["name", "--name"],
  ["role", "--role"],
  ["tenant", "--tenant"],
  ["rateLimitPerMin", "--rate-limit"],
]);

export function registerKeys(program: Command, io: CliIo): Command {
  const keys = program.command("keys").description("create, list and revoke API keys");
  withApiOptions(
    keys
      .command("create")
      .description("create an API key and print it, once")
      .requiredOption("--name <text>", 'what the key is for, e.g. "ci pipeline"')
      .requiredOption("--role <role>", `${ROLES.join(", ")}`)
      .option(
        "--tenant <id>",
        "tenant of a tenant key (tenant admins may leave it out; not for operator keys)",
      )
      .option("--rate-limit <n>", "requests per minute for this key (operators; default the service's)"),
  )
    .option("--json", "print the API's JSON, key included")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      const options = cmd.opts<KeyCreateOptions>();
      const body = checkedBody(
        apiKeyBodySchema,
        {
          name: options.name,
          role: options.role,
          ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
          ...(options.rateLimit === undefined ? {} : { rateLimitPerMin: numberOrText(options.rateLimit) }),
        },
        FLAG_OF_FIELD,
      );
      const client = apiClient(options);
      const created = await atFlags(FLAG_OF_FIELD, () => client.post("api-keys", createdApiKeySchema, body));
      io.out(options.json ? stableJson(created.json) : createdApiKey(created.data.key, created.data.apiKey));
    });
  withApiOptions(
    keys
      .command("list")
      .description("list API keys: operators every key, tenant admins their tenant's")
      .option("--tenant <id>", "operators: only this tenant's keys"),
  )
    .option("--json", "print the API's JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions & { tenant?: string }>();
      const tenant =
        options.tenant === undefined ? undefined : validate(idSchema, options.tenant, "--tenant");
      const list = await apiClient(options).get("api-keys", z.object({ items: z.array(apiKeyWireSchema) }), {
        tenant,
      });
      io.out(options.json ? stableJson(list.json) : apiKeyListTable(list.data.items));
    });
  withApiOptions(
    keys
      .command("revoke")
      .description("revoke an API key: it stops working at once")
      .argument("<key-id>", "the key's id (key_…), as fjord keys list shows it"),
  )
    .option("--json", "print the revoked key as the API returned it")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (keyId: string, _options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions>();
      const revoked = await apiClient(options).post(apiPath("api-keys", keyId, "revoke"), apiKeyWireSchema);
      io.out(
        options.json
          ? stableJson(revoked.json)
          : `${revoked.data.id}: revoked\n${apiKeyDetail(revoked.data)}`,
      );
    });
  return keys;
}
