import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { backendFactories, type TestBackend } from "../../test/support/test-backends.ts";
import { draft, T0 } from "../../test/support/test-records.ts";
import type { AuditEntry } from "../store/records.ts";
import { entryHash, sealDrafts } from "./hash-chain.ts";
import { verifyStoreChain } from "./verify-store.ts";

const postgresUrl = await freshPostgresDatabase();

/** Small pages, so every check also crosses page boundaries. */
const PAGE = 3;

describe.each(backendFactories(postgresUrl))("audit verification on $name", ({ open }) => {
  describe.skipIf(open === null)("", () => {
    let backend: TestBackend;
    let entries: AuditEntry[];

    beforeAll(async () => {
      backend = await open!();
    });
    afterAll(async () => {
      await backend?.close();
    });
    beforeEach(async () => {
      await backend.reset();
      entries = await backend.store.appendAudit(
        Array.from({ length: 10 }, (_, i) =>
          draft(i % 2 ? "job.submit" : "tenant.read", `obj-${i + 1}`, T0 + i),
        ),
      );
    });

    const verify = () => verifyStoreChain(backend.store, PAGE);

    /** Writes an entry straight into the table, as someone with database access could. */
    const insertRaw = (e: AuditEntry) =>
      backend.sql(
        `insert into audit_log (seq, at_ms, actor, action, tenant_id, object_type, object_id, details, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
        [
          e.seq,
          e.atMs,
          e.actor,
          e.action,
          e.tenantId,
          e.objectType,
          e.objectId,
          JSON.stringify(e.details),
          e.prevHash,
          e.hash,
        ],
      );

    /** An entry that links correctly after `previous`, as a forger who knows the scheme would make it. */
    const forgedAfter = (previous: AuditEntry): AuditEntry => {
      const [forged] = sealDrafts({ seq: previous.seq, hash: previous.hash }, [
        draft("job.cancel", "forged", T0),
      ]).entries;
      const { detailsJson: _, ...entry } = forged!;
      return entry;
    };

    it("accepts the log as written", async () => {
      expect(await verify()).toEqual({ ok: true, entries: 10, head: { seq: 10, hash: entries[9]!.hash } });
    });

    it("names an entry whose content was edited", async () => {
      await backend.sql(`update audit_log set details = '{"via": "edited"}' where seq = 4`);
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 4, kind: "altered" } });
    });

    it("names the entry after one inserted into the middle with a correct hash of its own", async () => {
      await backend.sql("update audit_log set seq = -seq where seq > 5");
      await backend.sql("update audit_log set seq = 1 - seq where seq < 0");
      await insertRaw({ ...forgedAfter(entries[4]!), seq: 6 });
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 7, kind: "link-broken" } });
    });

    it("names the seq of an entry removed from the middle", async () => {
      await backend.sql("delete from audit_log where seq = 5");
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 5, kind: "missing" } });
    });

    it("sees through the chain head that the last entry was removed", async () => {
      await backend.sql("delete from audit_log where seq = 10");
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 10, kind: "missing" } });
    });

    it("sees through the chain head an entry appended behind the store's back, or a re-hashed last entry", async () => {
      await insertRaw(forgedAfter(entries[9]!));
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 11, kind: "beyond-head" } });
      await backend.sql("delete from audit_log where seq = 11");
      const last = { ...entries[9]!, actor: "someone-else" };
      await backend.sql("update audit_log set actor = $1, hash = $2 where seq = 10", [
        last.actor,
        entryHash(last.prevHash, last),
      ]);
      expect(await verify()).toMatchObject({ ok: false, problem: { seq: 10, kind: "head-mismatch" } });
    });

    it("verifies while other writers keep appending", async () => {
      const appends = Promise.all(
        Array.from({ length: 60 }, (_, i) => backend.store.appendAudit([draft("tenant.read", `live-${i}`)])),
      );
      const verdicts = await Promise.all([verify(), verify()]);
      await appends;
      for (const verdict of verdicts) expect(verdict.ok).toBe(true);
      expect(await verify()).toMatchObject({ ok: true, entries: 70 });
    });
  });
});
