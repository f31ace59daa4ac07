import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { draft, finish, gpus, queued, start, T0, testJob } from "../../test/support/test-records.ts";
import { verifyStoreChain } from "../audit/verify-store.ts";
import { InputError } from "../model/input-error.ts";
import { openStore, type StoreOptions } from "./open-store.ts";
import type { Store } from "./store.ts";
import { GpuAlreadyHeldError } from "./store-errors.ts";

const S = 1000;
const postgresUrl = await freshPostgresDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "fjord-store-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Everything a restarted control plane reads back. */
async function snapshot(store: Store) {
  return {
    tenants: await store.listTenants(),
    operatorKeys: await store.listApiKeys(null),
    tenantKeys: await store.listApiKeys("aurora-labs"),
    jobs: (await store.listJobs({ limit: 1000 })).items,
    live: await store.liveJobs(),
    audit: await store.auditRange(1, 1000),
    runs: await store.jobRunsOverlapping(T0, T0 + 1000 * S, T0 + 500 * S),
    values: [await store.getValue("clock"), await store.getValue("ledger")],
  };
}

const backends: { name: string; options: StoreOptions | null }[] = [
  { name: "PGlite in a data directory", options: { databaseUrl: null, dataDir } },
  {
    name: "PostgreSQL",
    options: postgresUrl === null ? null : { databaseUrl: postgresUrl, dataDir: "ignored" },
  },
];

describe.each(backends)("a restart on $name", ({ options }) => {
  it.skipIf(options === null)(
    "reads back identical records, chain and values, and goes on from them",
    async () => {
      const first = await openStore(options!);
      await first.putTenant(
        {
          id: "aurora-labs",
          name: "Aurora Labs AS",
          tierId: "national",
          weight: 2,
          quotaGpus: null,
          orgNumber: null,
          country: "NO",
        },
        T0,
        draft("policy.change", "aurora-labs", T0, "aurora-labs"),
      );
      await first.insertApiKey(
        {
          id: "key_a",
          tenantId: "aurora-labs",
          role: "tenant-admin",
          name: "ci",
          secretHash: "h",
          rateLimitPerMin: null,
          createdAtMs: T0,
          revokedAtMs: null,
        },
        draft("api-key.create", "key_a", T0, "aurora-labs"),
      );
      for (const id of ["r1", "r2", "r3"])
        await first.submitJob(queued(testJob(id, "aurora-labs"), `key-${id}`), draft("job.submit", id));
      await first.transition([
        start("r1", T0 + 10 * S, gpus(["n1", 0], ["n1", 1])),
        start("r2", T0 + 10 * S, gpus(["n1", 2])),
      ]);
      await first.transition([finish("r2", T0 + 40 * S)]);
      await first.setValue("clock", T0 + 50 * S);
      await first.setValue("ledger", { "aurora-labs": { decayedGpuHours: 1.5 } });
      const before = await snapshot(first);
      await first.close();

      const second = await openStore(options!);
      try {
        expect(await snapshot(second)).toEqual(before);
        expect(await verifyStoreChain(second)).toMatchObject({ ok: true, entries: 8 });
        await expect(second.transition([start("r3", T0 + 60 * S, gpus(["n1", 1]))])).rejects.toThrow(
          GpuAlreadyHeldError,
        );
        const [next] = await second.appendAudit([draft("tenant.read", "aurora-labs")]);
        expect(next).toMatchObject({ seq: 9, prevHash: before.audit.at(-1)!.hash });
        expect(await verifyStoreChain(second)).toMatchObject({ ok: true, entries: 9 });
      } finally {
        await second.close();
      }
    },
  );
});

describe("choosing the backend", () => {
  it("keeps the database in memory with neither a URL nor a data directory", async () => {
    const store = await openStore({ databaseUrl: "", dataDir: null });
    try {
      expect(await store.ping()).toBe(true);
      expect(await verifyStoreChain(store)).toMatchObject({ ok: true, entries: 0 });
    } finally {
      await store.close();
    }
  });

  it("names the setting when the URL is not a PostgreSQL URL, without echoing a password", async () => {
    const wrongScheme = openStore({ databaseUrl: "mysql://fjord:s3cret@db/fjord" });
    await expect(wrongScheme).rejects.toThrow(InputError);
    await expect(wrongScheme).rejects.toThrow(
      /FJORD_DATABASE_URL.*must start with postgres:\/\/ or postgresql:\/\//,
    );
    await expect(wrongScheme).rejects.not.toThrow(/s3cret/);
    await expect(openStore({ databaseUrl: "postgres://fjord:s3cret@[::1/fjord" })).rejects.toThrow(
      /FJORD_DATABASE_URL.*is not a valid URL: "postgres:\/\/fjord:\*\*\*@\[::1\/fjord"/,
    );
  });

  it("names the setting and the server when nothing answers there", async () => {
    const unreachable = openStore({ databaseUrl: "postgresql://fjord:s3cret@127.0.0.1:1/fjord" });
    await expect(unreachable).rejects.toThrow(InputError);
    await expect(unreachable).rejects.toThrow(
      /FJORD_DATABASE_URL.*cannot connect to PostgreSQL at 127\.0\.0\.1:1\/fjord/,
    );
    await expect(unreachable).rejects.not.toThrow(/s3cret/);
  });
});
