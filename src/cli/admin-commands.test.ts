// What the API lets operators and tenant admins do, the CLI does too: the facility and its occupancy,
// tenants, API keys. End to end against `fjord serve` in this process (the small two-site facility).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/api-test-harness.ts";
import { fjordInProcess, startTestService, type TestService } from "../../test/support/cli.ts";
import { EXIT_AUTH, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK } from "./exit-codes.ts";

let service: TestService;

const as = (key: string, ...args: string[]) =>
  fjordInProcess(...args, "--url", service.url, "--api-key", key);
const asOperator = (...args: string[]) => as(service.operatorKey, ...args);
const asAurora = (...args: string[]) => as(service.tenantKey("aurora-labs"), ...args);
const jsonOf = <T>(run: { stdout: string }) => JSON.parse(run.stdout) as T;

/** The header row of every bordered table in the output, as lists of column headings. */
function headings(stdout: string): string[][] {
  const lines = stdout.split("\n");
  return lines.flatMap((line, i) =>
    lines[i - 1]?.startsWith("┌") && line.startsWith("│")
      ? [
          line
            .split("│")
            .slice(1, -1)
            .map((h) => h.trim()),
        ]
      : [],
  );
}

/** API field names are camelCase (`quotaGpus`, `itEnergyKWh`); a heading for people never is. */
const FIELD_NAME = /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/;

beforeAll(async () => {
  service = await startTestService();
  const run = await asOperator(
    ...["submit", "--tenant", "aurora-labs", "--name", "long-training", "--gpus", "4", "--runtime", "1000h"],
    "--json",
  );
  const id = jsonOf<{ id: string }>(run).id;
  await eventually("the long job to start", async () => {
    const status = await asOperator("status", id, "--json");
    return jsonOf<{ state: string }>(status).state === "running";
  });
});

afterAll(async () => {
  await service?.stop();
});

describe("fjord facility", () => {
  it("shows each site's jurisdictions and hardware, and the GPUs in use there and by which tier", async () => {
    const run = await asAurora("facility");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(
      /^Small two-site test facility \(small-two-sites\): 2 sites, 48 GPUs, 4 in use at /,
    );
    expect(run.stdout).toMatch(
      /│ no-test +│ Test site, Norway +│ NO +│ NO, EEA +│ facility +│ +8 │ +8 │ +32 │ +32 │ +4 │ +12\.5 │ nordics 10, gulf 95 +│/,
    );
    expect(run.stdout).toMatch(
      /│ ae-test +│ Test site, Abu Dhabi +│ AE +│ AE, GCC +│ facility +│ +2 │ +2 │ +16 │ +16 │ +0 │/,
    );
    expect(run.stdout).toMatch(/│ no-test +│ +4 │ +0 │ +0 │/);
    expect(run.stdout).toMatch(/│ hgx-h100 +│ H100 +│ +8 │ +80 │ +700 │ +2 │ +16 │/);
    expect(headings(run.stdout)).toEqual([
      [
        "Site",
        "Name",
        "Country",
        "Jurisdictions",
        "Operated by",
        "Nodes",
        "Nodes up",
        "GPUs",
        "GPUs up",
        "GPUs in use",
        "In use %",
        "Latency ms",
      ],
      ["Site", "national", "nordic-european", "global"],
      ["Node type", "GPU model", "GPUs per node", "GPU memory GiB", "GPU max power W", "Nodes", "GPUs"],
    ]);
  });

  it("prints both of the API's answers with --json", async () => {
    const answer = jsonOf<{ facility: { id: string }; occupancy: { sites: { siteId: string }[] } }>(
      await asOperator("facility", "--json"),
    );
    expect(answer.facility.id).toBe("small-two-sites");
    expect(answer.occupancy.sites.map((s) => s.siteId)).toEqual(["no-test", "ae-test"]);
  });
});

describe("fjord tenants", () => {
  it("lists every tenant for an operator, headed in words", async () => {
    const run = await asOperator("tenants", "list");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(/^Tenants \(8\)\n/);
    expect(run.stdout).toMatch(
      /│ aurora-labs +│ Aurora Labs AS +│ national +│ +2 │ 20,000 GPUs, borrowable │ 931844156 +│ NO +│ 20\d\d-/,
    );
    expect(headings(run.stdout)).toEqual([
      ["Tenant", "Name", "Tier", "Weight", "GPU quota", "Organisation number", "Country", "Created"],
    ]);
  });

  it("shows a tenant's own tenant to its key, and no other", async () => {
    const own = await asAurora("tenants", "show", "aurora-labs");
    expect(own.code).toBe(EXIT_OK);
    expect(own.stdout).toMatch(/│ Fair-share weight +│ 2 +│/);
    expect((await asAurora("tenants", "show", "sisu-ai")).code).toBe(EXIT_NOT_FOUND);
    expect((await asAurora("tenants", "list")).code).toBe(EXIT_AUTH);
  });

  it("changes only the fields given, and keeps the rest", async () => {
    const run = await asOperator("tenants", "set", "fjellbit", "--quota-gpus", "64", "--weight", "3");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(/^fjellbit: changed\n/);
    const after = jsonOf<Record<string, unknown>>(await asOperator("tenants", "show", "fjellbit", "--json"));
    expect(after).toMatchObject({
      name: "Fjellbit AS",
      tier: "national",
      weight: 3,
      quotaGpus: 64,
      // Kept from the policy file, as every field not given is.
      quotaMode: "borrowable",
      orgNumber: "916722036",
      country: "NO",
    });
    await asOperator("tenants", "set", "fjellbit", "--quota-gpus", "none", "--quota-mode", "hard");
    expect(
      jsonOf<{ quotaGpus: null }>(await asOperator("tenants", "show", "fjellbit", "--json")),
    ).toMatchObject({
      quotaGpus: null,
      quotaMode: "hard",
      weight: 3,
    });
  });

  it("creates a tenant, which then needs a tier", async () => {
    const missing = await asOperator("tenants", "set", "newco", "--weight", "2");
    expect(missing).toMatchObject({ code: EXIT_BAD_INPUT, stdout: "" });
    expect(missing.stderr).toBe(
      "command line: --tier: is required: there is no tenant newco yet, and a new tenant needs a tier\n",
    );
    const created = await asOperator("tenants", "set", "newco", "--tier", "global", "--country", "SE");
    expect(created.code).toBe(EXIT_OK);
    expect(created.stdout).toMatch(/^newco: created\n/);
    expect(created.stdout).toMatch(/│ Tier +│ global +│/);
  });

  it("names each bad flag, and the flag behind a refusal by the service", async () => {
    const bad = await asOperator(
      "tenants",
      "set",
      "newco-2",
      "--tier",
      "global",
      "--weight",
      "x",
      "--country",
      "se",
    );
    expect(bad.code).toBe(EXIT_BAD_INPUT);
    expect(bad.stderr.split("\n")).toEqual([
      'command line: --weight: must be a number, not the string "x"',
      "command line: --country: must be an ISO 3166-1 alpha-2 country code in upper case, like NO or AE",
      "",
    ]);
    const refused = await asOperator("tenants", "set", "newco-2", "--tier", "gold");
    expect(refused.code).toBe(EXIT_BAD_INPUT);
    expect(refused.stderr).toBe(
      "command line: --tier: refused: unknown tier 'gold' (tiers: national, nordic-european, global)\n",
    );
  });

  it("refuses a tenant's key that tries to change its tenant", async () => {
    const run = await asAurora("tenants", "set", "aurora-labs", "--quota-gpus", "1");
    expect(run.code).toBe(EXIT_AUTH);
  });
});

describe("fjord keys", () => {
  it("creates a key shown once, lists it, and revokes it so that it stops working", async () => {
    const created = await asOperator(
      "keys",
      "create",
      "--name",
      "ci pipeline",
      "--role",
      "tenant-member",
      "--tenant",
      "sisu-ai",
    );
    expect(created.code).toBe(EXIT_OK);
    expect(created.stdout).toMatch(/│ Role +│ tenant-member +│/);
    const key = /^(fjk_\S+)$/m.exec(created.stdout)![1]!;
    const keyId = /│ Key +│ (key_\w+) +│/.exec(created.stdout)![1]!;
    expect((await as(key, "status")).code).toBe(EXIT_OK);

    const list = await asOperator("keys", "list", "--tenant", "sisu-ai");
    expect(list.stdout).toMatch(
      new RegExp(`│ ${keyId} │ ci pipeline +│ tenant-member +│ sisu-ai +│ +default │ 20\\d\\d-\\S+ │ +│`),
    );
    expect(headings(list.stdout)).toEqual([
      ["Key", "Name", "Role", "Tenant", "Requests per minute", "Created", "Revoked"],
    ]);

    const revoked = await asOperator("keys", "revoke", keyId);
    expect(revoked.code).toBe(EXIT_OK);
    expect(revoked.stdout).toMatch(new RegExp(`^${keyId}: revoked\\n`));
    expect((await as(key, "status")).code).toBe(EXIT_AUTH);
    expect((await asOperator("keys", "list", "--tenant", "sisu-ai")).stdout).toMatch(
      new RegExp(`│ ${keyId} │ .* │ 20\\d\\d-\\S+ │ 20\\d\\d-\\S+ │`),
    );
  });

  it("lets a tenant admin manage its own tenant's keys, and no operator keys", async () => {
    const own = await asAurora("keys", "create", "--name", "notebook", "--role", "tenant-member", "--json");
    expect(own.code).toBe(EXIT_OK);
    expect(jsonOf<{ key: string; apiKey: { tenant: string } }>(own).apiKey.tenant).toBe("aurora-labs");
    const list = await asAurora("keys", "list", "--json");
    expect(new Set(jsonOf<{ items: { tenant: string }[] }>(list).items.map((k) => k.tenant))).toEqual(
      new Set(["aurora-labs"]),
    );
    expect((await asAurora("keys", "create", "--name", "root", "--role", "operator")).code).toBe(EXIT_AUTH);
  });

  it("names the flag of a bad or refused field", async () => {
    const role = await asOperator("keys", "create", "--name", "x", "--role", "boss");
    expect(role).toMatchObject({ code: EXIT_BAD_INPUT, stdout: "" });
    expect(role.stderr).toBe(
      'command line: --role: must be one of "operator", "tenant-admin", "tenant-member", not the string "boss"\n',
    );
    const tenant = await asOperator("keys", "create", "--name", "x", "--role", "tenant-member");
    expect(tenant.stderr).toBe("command line: --tenant: refused: is required for a tenant-member key\n");
    expect((await asOperator("keys", "revoke", "key_nosuchkey")).code).toBe(EXIT_NOT_FOUND);
  });
});

describe("fjord audit list", () => {
  it("shows a tenant its own entries only, and an operator any tenant's, a page at a time", async () => {
    const own = await asAurora("audit", "list", "--all", "--json");
    expect(own.code).toBe(EXIT_OK);
    const entries = jsonOf<{ items: { tenant: string | null; action: string }[] }>(own).items;
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.tenant))).toEqual(new Set(["aurora-labs"]));

    const page = await asOperator("audit", "list", "--limit", "1");
    expect(page.code).toBe(EXIT_OK);
    expect(page.stdout).toMatch(/^Audit entries \(1\)\n/);
    expect(page.stdout).toContain("more entries follow: add --all for every page");
    expect(headings(page.stdout)).toEqual([["Entry", "At", "Actor", "Action", "Tenant", "Object", "Hash"]]);

    const other = await asAurora("audit", "list", "--tenant", "fjellbit");
    expect(other.code).toBe(EXIT_NOT_FOUND);
    expect(other.stdout).toBe("");
    const bad = await asOperator("audit", "list", "--limit", "0");
    expect(bad.code).toBe(EXIT_BAD_INPUT);
    expect(bad.stderr).toContain("--limit");
  });
});

describe("every table the API commands print", () => {
  it("is headed in words, not in the API's field names", async () => {
    const runs = await Promise.all([
      asOperator("facility"),
      asOperator("tenants", "list"),
      asOperator("tenants", "show", "aurora-labs"),
      asOperator("keys", "list"),
      asOperator("audit", "list"),
      asOperator("usage"),
      asOperator("queue"),
      asOperator("status"),
      asAurora("status"),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(EXIT_OK);
      for (const head of headings(run.stdout)) expect(head.filter((h) => FIELD_NAME.test(h))).toEqual([]);
    }
  });
});
