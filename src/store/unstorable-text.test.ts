// The store's last line of defence: text PostgreSQL cannot keep (NUL, a lone surrogate) is refused with
// UnstorableTextError naming where it is, before any statement runs, and refusing one job leaves the other
// submissions of its commit group untouched.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { backendFactories, type TestBackend } from "../../test/support/test-backends.ts";
import { draft, queued, T0, testJob } from "../../test/support/test-records.ts";
import type { Tenant } from "../model/types.ts";
import { assertStorable, UnstorableTextError } from "./store-errors.ts";

const postgresUrl = await freshPostgresDatabase();

describe("assertStorable", () => {
  it.each([
    ["a NUL", { name: "a\u0000b" }, "name"],
    ["a lone high surrogate", { labels: { team: "x\ud800" } }, "labels.team"],
    ["a lone low surrogate in a list", { models: ["ok", "\udc00"] }, "models[1]"],
    ["a lone surrogate in a key", { labels: { "\ud800": "x" } }, "labels.\ud800"],
  ])("refuses %s, naming where it is", (_, value, field) => {
    expect(() => assertStorable(value)).toThrow(expect.objectContaining({ field }));
  });

  it("takes whole surrogate pairs and other text", () => {
    expect(() => assertStorable({ name: "🚀 ok", labels: { a: "é" }, n: 1, none: null })).not.toThrow();
  });
});

describe.each(backendFactories(postgresUrl))("Store on $name", ({ open }) => {
  describe.skipIf(open === null)("", () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await open!();
    });
    afterAll(async () => {
      await backend?.close();
    });
    beforeEach(() => backend.reset());

    it("refuses a job with unstorable text and stores the others submitted with it", async () => {
      const bad = { ...testJob("bad", "t1"), name: "x\ud800y" };
      const results = await Promise.allSettled([
        backend.store.submitJob(queued(testJob("good-1", "t1")), draft("job.submit", "good-1")),
        backend.store.submitJob(queued(bad), draft("job.submit", "bad")),
        backend.store.submitJob(queued(testJob("good-2", "t1")), draft("job.submit", "good-2")),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnstorableTextError);
      expect((results[1] as PromiseRejectedResult).reason.field).toBe("name");
      expect(await backend.store.getJob("bad")).toBeNull();
      expect(await backend.store.getJob("good-2")).not.toBeNull();
    });

    it("refuses a tenant with a NUL in its name and stores nothing", async () => {
      const tenant: Tenant = {
        id: "t-nul",
        name: "a\u0000b",
        tierId: "global",
        weight: 1,
        quotaGpus: null,
        orgNumber: null,
        country: null,
      };
      await expect(backend.store.putTenant(tenant, T0, draft("policy.change", "t-nul"))).rejects.toThrow(
        UnstorableTextError,
      );
      expect(await backend.store.getTenant("t-nul")).toBeNull();
      expect(await backend.store.auditRange(1, 100)).toEqual([]);
    });
  });
});
