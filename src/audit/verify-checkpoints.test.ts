// Checkpoints against the attacks a chain and its head in the same database cannot show: the tail cut and
// the head rewound, and the whole log rewritten with every hash recomputed. Run on both backends, with
// the tampering done in raw SQL as someone with database access would.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { backendFactories, type TestBackend } from "../../test/support/test-backends.ts";
import { draft, T0 } from "../../test/support/test-records.ts";
import { AUDIT_HEAD_KEY } from "../store/audit-append.ts";
import type { AuditEntry } from "../store/records.ts";
import type { Checkpoint } from "./checkpoint.ts";
import type { CheckpointLine } from "./checkpoint-file.ts";
import { AuditCheckpointer } from "./checkpointer.ts";
import { EMPTY_CHAIN, sealDrafts } from "./hash-chain.ts";
import { verifyWithCheckpoints } from "./verify-checkpoints.ts";
import { verifyStoreChain } from "./verify-store.ts";

const postgresUrl = await freshPostgresDatabase();

/** Small pages, so every check also crosses page boundaries. */
const PAGE = 3;

const operatorKey = generateKeyPairSync("ed25519");
const strangerKey = generateKeyPairSync("ed25519");

const drafts = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => draft("job.submit", `obj-${from + i}`, T0 + from + i));

describe.each(backendFactories(postgresUrl))("audit checkpoints on $name", ({ open }) => {
  describe.skipIf(open === null)("", () => {
    let backend: TestBackend;
    let checkpointer: AuditCheckpointer;

    beforeAll(async () => {
      backend = await open!();
    });
    afterAll(async () => {
      await backend?.close();
    });
    beforeEach(async () => {
      await backend.reset();
      checkpointer = new AuditCheckpointer(backend.store, operatorKey.privateKey, "test database", PAGE);
    });

    /** Appends `count` entries and checkpoints the head; returns the checkpoint as line `line` of a file. */
    const appendAndCheckpoint = async (
      from: number,
      count: number,
      line: number,
    ): Promise<CheckpointLine> => {
      await backend.store.appendAudit(drafts(from, count));
      const outcome = await checkpointer.take(T0 + from * 60_000);
      if (outcome.kind !== "signed") throw new Error(`no checkpoint: ${JSON.stringify(outcome)}`);
      return { line, checkpoint: outcome.checkpoint };
    };

    const verify = (lines: CheckpointLine[], key = operatorKey.publicKey) =>
      verifyWithCheckpoints(backend.store, lines, key, PAGE);

    /** Deletes every entry after `seq` and sets the head to entry `seq`, as a careful attacker would. */
    const cutTailAfter = async (seq: number) => {
      await backend.sql("delete from audit_log where seq > $1", [seq]);
      await backend.sql(
        `update kv set value = (select jsonb_build_object('seq', seq, 'hash', hash) from audit_log where seq = $1)
         where key = $2`,
        [seq, AUDIT_HEAD_KEY],
      );
    };

    /** Replaces the whole log by one whose entry `seq` says something else, every hash recomputed. */
    const rewriteEverything = async (entries: AuditEntry[], seq: number) => {
      const forged = sealDrafts(
        EMPTY_CHAIN,
        entries.map((e) => (e.seq === seq ? { ...e, actor: "someone-else" } : e)),
      );
      await backend.sql("delete from audit_log");
      for (const e of forged.entries)
        await backend.sql(
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
            e.detailsJson,
            e.prevHash,
            e.hash,
          ],
        );
      await backend.sql("update kv set value = $1::jsonb where key = $2", [
        JSON.stringify(forged.head),
        AUDIT_HEAD_KEY,
      ]);
    };

    it("accepts a log that holds every checkpointed head, and has grown since", async () => {
      const first = await appendAndCheckpoint(1, 4, 1);
      const second = await appendAndCheckpoint(5, 3, 2);
      await backend.store.appendAudit(drafts(8, 2));
      expect(await verify([first, second])).toMatchObject({
        ok: true,
        entries: 9,
        head: { seq: 9 },
        checkpoints: { count: 2, newest: { line: 2, checkpoint: { seq: 7 } } },
      });
    });

    it("shows a tail cut with the head rewound, which the chain alone takes for an intact log", async () => {
      const first = await appendAndCheckpoint(1, 3, 1);
      const second = await appendAndCheckpoint(4, 5, 2);
      await cutTailAfter(5);
      expect(await verifyStoreChain(backend.store, PAGE)).toMatchObject({ ok: true, head: { seq: 5 } });
      const verdict = await verify([first, second]);
      expect(verdict).toMatchObject({ ok: false, problem: { kind: "cut", seq: 6, line: 2 } });
      expect(!verdict.ok && verdict.problem.reason).toMatch(
        /^the log ends at entry 5, but the checkpoint on line 2 \(.*\) recorded entry 8: entries 6–8 were cut off the end/,
      );
    });

    it("shows a tail cut after which the service appended new entries", async () => {
      const checkpoint = await appendAndCheckpoint(1, 6, 1);
      await cutTailAfter(4);
      await backend.store.appendAudit(drafts(100, 4));
      expect(await verifyStoreChain(backend.store, PAGE)).toMatchObject({ ok: true, head: { seq: 8 } });
      expect(await verify([checkpoint])).toMatchObject({
        ok: false,
        problem: { kind: "rewritten", seq: 6, line: 1 },
      });
    });

    it("shows the whole log rewritten with every hash recomputed", async () => {
      const checkpoint = await appendAndCheckpoint(1, 6, 1);
      const entries = await backend.store.auditRange(1, 100);
      await rewriteEverything(entries, 3);
      expect(await verifyStoreChain(backend.store, PAGE)).toMatchObject({ ok: true, head: { seq: 6 } });
      expect(await verify([checkpoint])).toMatchObject({
        ok: false,
        problem: { kind: "rewritten", seq: 6, line: 1 },
      });
      await rewriteEverything(entries, 1);
      expect(await verify([checkpoint])).toMatchObject({
        ok: false,
        problem: { kind: "other-chain", seq: 1, line: 1 },
      });
    });

    it("refuses a checkpoint changed after it was signed, or signed by another key", async () => {
      const checkpoint = await appendAndCheckpoint(1, 6, 1);
      const altered: Checkpoint = { ...checkpoint.checkpoint, seq: 4 };
      expect(await verify([checkpoint, { line: 2, checkpoint: altered }])).toMatchObject({
        ok: false,
        problem: { kind: "forged", line: 2 },
      });
      const stranger = new AuditCheckpointer(backend.store, strangerKey.privateKey, "test database", PAGE);
      const outcome = await stranger.take(T0);
      if (outcome.kind !== "signed") throw new Error("the stranger's checkpoint was not signed");
      expect(await verify([checkpoint, { line: 2, checkpoint: outcome.checkpoint }])).toMatchObject({
        ok: false,
        problem: { kind: "other-key", line: 2 },
      });
      expect(await verify([checkpoint], strangerKey.publicKey)).toMatchObject({
        ok: false,
        problem: { kind: "other-key", line: 1 },
      });
    });

    it("signs no head of an empty log, nor of a broken chain", async () => {
      expect(await checkpointer.take(T0)).toEqual({ kind: "empty" });
      await backend.store.appendAudit(drafts(1, 5));
      await backend.sql(`update audit_log set details = '{"via": "edited"}' where seq = 2`);
      expect(await checkpointer.take(T0)).toMatchObject({
        kind: "broken",
        problem: { kind: "altered", seq: 2 },
      });
    });

    it("checkpoints what was appended since the last one, and notices the head going back", async () => {
      await appendAndCheckpoint(1, 5, 1);
      const next = await appendAndCheckpoint(6, 2, 2);
      expect(next.checkpoint).toMatchObject({ seq: 7, database: "test database" });
      await cutTailAfter(3);
      expect(await checkpointer.take(T0)).toMatchObject({
        kind: "broken",
        problem: {
          kind: "missing",
          seq: 4,
          reason: expect.stringMatching(/went back from entry 7 to entry 3/),
        },
      });
    });
  });
});
