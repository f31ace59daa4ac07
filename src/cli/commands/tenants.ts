// `fjord tenants list|show|set`: operators list tenants and create or change them (PUT /v1/tenants/{id}, a
// policy change the scheduler applies from its next pass); a tenant's own key may show its tenant.
import type { Command } from "commander";
import { z } from "zod";
import { tenantBodySchema, tenantWireSchema } from "../../api/schemas/tenant.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { type ApiClient, apiPath } from "../client/api-client.ts";
import { ApiProblemError } from "../client/api-errors.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { atFlags, checkedBody } from "../client/flag-body.ts";
import { FLAGS_SOURCE, numberOrText } from "../client/job-flags.ts";
import { EXIT_CODES_HELP, EXIT_NOT_FOUND } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { stableJson } from "../render/stable-json.ts";
import { type TenantWire, tenantDetail, tenantListTable } from "../render/tenant-tables.ts";

export interface TenantSetOptions extends ApiOptions {
  name?: string;
  tier?: string;
  weight?: string;
  quotaGpus?: string;
  quotaMode?: string;
  orgNumber?: string;
  country?: string;
}

/** Each field of PUT /v1/tenants/{id} by the flag that sets it. */
const FLAG_OF_FIELD: ReadonlyMap<string, string> = new Map([
  ["name", "--name"],
  ["tier", "--tier"],
  ["weight", "--weight"],
  ["quotaGpus", "--quota-gpus"],
  ["quotaMode", "--quota-mode"],
  ["orgNumber", "--org-number"],
  ["country", "--country"],
]);

/** The word that clears a field that may be empty. */
const NONE = "none";

export function registerTenants(program: Command, io: CliIo): Command {
  const tenants = program.command("tenants").description("list, show, create and change tenants");
  withApiOptions(tenants.command("list").description("list every tenant (operators)"))
    .option("--json", "print the API's JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions>();
      const list = await apiClient(options).get("tenants", z.object({ items: z.array(tenantWireSchema) }));
      io.out(options.json ? stableJson(list.json) : tenantListTable(list.data.items));
    });
  withApiOptions(
    tenants
      .command("show")
      .description("one tenant: tier, weight, quota (operators, or a key of that tenant)")
      .argument("<tenant>", "tenant id"),
  )
    .option("--json", "print the API's JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions>();
      const tenant = await apiClient(options).get(apiPath("tenants", id), tenantWireSchema);
      io.out(options.json ? stableJson(tenant.json) : tenantDetail(tenant.data));
    });
  withApiOptions(
    tenants
      .command("set")
      .description(
        "create a tenant, or change the fields given and keep the others (operators; a policy change)",
      )
      .argument("<tenant>", "tenant id")
      .option("--tier <id>", "tier from the policy (required for a new tenant)")
      .option("--name <name>", "display name (default: the id)")
      .option("--weight <n>", "fair-share weight inside the tier (default 1)")
      .option("--quota-gpus <n>", `most GPUs held at once, or ${NONE} (default ${NONE})`)
      .option(
        "--quota-mode <mode>",
        "hard (never exceeded) or borrowable (exceeded on idle GPUs, taken back when others need them) (default hard)",
      )
      .option("--org-number <number>", `Norwegian organisation number (9 digits), or ${NONE}`)
      .option("--country <code>", `ISO 3166-1 alpha-2 country code, e.g. NO, or ${NONE}`),
  )
    .option("--json", "print the tenant as the API returned it")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      await runSet(id, cmd.opts<TenantSetOptions>(), io);
    });
  return tenants;
}

async function runSet(id: string, options: TenantSetOptions, io: CliIo): Promise<void> {
  const client = apiClient(options);
  const current = await currentTenant(client, id);
  if (current === null && options.tier === undefined)
    throw new InputError(FLAGS_SOURCE, [
      issueAt(["--tier"], `is required: there is no tenant ${id} yet, and a new tenant needs a tier`),
    ]);
  const body = checkedBody(
    tenantBodySchema,
    {
      ...(current === null ? {} : bodyOf(current)),
      ...given("name", options.name),
      ...given("tier", options.tier),
      ...given("weight", numberOrText(options.weight)),
      ...given("quotaGpus", orNone(numberOrText(options.quotaGpus))),
      ...given("quotaMode", options.quotaMode),
      ...given("orgNumber", orNone(options.orgNumber)),
      ...given("country", orNone(options.country)),
    },
    FLAG_OF_FIELD,
  );
  const saved = await atFlags(FLAG_OF_FIELD, () =>
    client.put(apiPath("tenants", id), tenantWireSchema, body),
  );
  if (options.json) {
    io.out(stableJson(saved.json));
    return;
  }
  io.out(`${saved.data.id}: ${saved.status === 201 ? "created" : "changed"}\n${tenantDetail(saved.data)}`);
}

/** The tenant as it is now, or null when there is none yet (a new tenant). */
async function currentTenant(client: ApiClient, id: string): Promise<TenantWire | null> {
  try {
    return (await client.get(apiPath("tenants", id), tenantWireSchema)).data;
  } catch (err) {
    if (err instanceof ApiProblemError && err.exitCode === EXIT_NOT_FOUND) return null;
    throw err;
  }
}

/** The PUT body that keeps a tenant as it is. */
function bodyOf(t: TenantWire): Record<string, unknown> {
  return {
    name: t.name,
    tier: t.tier,
    weight: t.weight,
    quotaGpus: t.quotaGpus,
    quotaMode: t.quotaMode,
    orgNumber: t.orgNumber,
    country: t.country,
  };
}

function given(field: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [field]: value };
}

function orNone<T>(value: T): T | null {
  return value === NONE ? null : value;
}
