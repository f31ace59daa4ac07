import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPGliteBackend, type TestBackend } from "../../test/support/test-backends.ts";
import { draft, T0 } from "../../test/support/test-records.ts";
import { readCheckpointFile } from "./checkpoint-file.ts";
import { AuditCheckpointer } from "./checkpointer.ts";
import { PeriodicCheckpoints } from "./periodic-checkpoints.ts";
import { verifyWithCheckpoints } from "./verify-checkpoints.ts";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const HOUR_MS = 3_600_000;

describe("checkpoints the service takes itself", () => {
  let backend: TestBackend;
  let dir: string;
  let file: string;
  let log: string[];
  beforeAll(async () => {
    backend = await openPGliteBackend();
  });
  afterAll(() => backend.close());
  beforeEach(async () => {
    await backend.reset();
    dir = mkdtempSync(join(tmpdir(), "fjord-periodic-"));
    file = join(dir, "checkpoints.jsonl");
    log = [];
    return () => rmSync(dir, { recursive: true, force: true });
  });

  const periodic = () =>
    new PeriodicCheckpoints({
      checkpointer: new AuditCheckpointer(backend.store, privateKey, "test database"),
      file,
      intervalMs: HOUR_MS,
      nowMs: () => T0,
      report: (line) => log.push(line),
    });

  it("takes one at start and a last one at stop, after what was appended meanwhile", async () => {
    await backend.store.appendAudit([draft("job.submit", "a"), draft("job.submit", "b")]);
    const checkpoints = periodic();
    checkpoints.start();
    await backend.store.appendAudit([draft("job.start", "a")]);
    await checkpoints.stop();
    const lines = readCheckpointFile(file);
    expect(lines.map((l) => l.checkpoint.seq).at(-1)).toBe(3);
    expect(log.at(-1)).toBe(`fjord: audit checkpoint: entry 3 appended to ${file}`);
    expect(await verifyWithCheckpoints(backend.store, lines, publicKey)).toMatchObject({ ok: true });
  });

  it("does not repeat the checkpoint of a log that has not grown", async () => {
    await backend.store.appendAudit([draft("job.submit", "a")]);
    const checkpoints = periodic();
    await checkpoints.takeNow();
    await checkpoints.takeNow();
    await backend.store.appendAudit([draft("job.submit", "b")]);
    await checkpoints.takeNow();
    expect(readCheckpointFile(file).map((l) => l.checkpoint.seq)).toEqual([1, 2]);
  });

  it("writes nothing for an empty log, and reports a broken chain instead of signing it", async () => {
    const checkpoints = periodic();
    await checkpoints.takeNow();
    expect(existsSync(file)).toBe(false);
    await backend.store.appendAudit([draft("job.submit", "a"), draft("job.submit", "b")]);
    await backend.sql(`update audit_log set actor = 'someone-else' where seq = 1`);
    await checkpoints.takeNow();
    expect(existsSync(file)).toBe(false);
    expect(log).toEqual([
      expect.stringMatching(
        /^fjord: audit checkpoint REFUSED: the audit log's hash chain is broken at entry 1 \(altered\)/,
      ),
    ]);
  });

  it("reports a file it cannot write, and keeps going", async () => {
    await backend.store.appendAudit([draft("job.submit", "a")]);
    const checkpoints = new PeriodicCheckpoints({
      checkpointer: new AuditCheckpointer(backend.store, privateKey, "test database"),
      file: dir,
      intervalMs: HOUR_MS,
      nowMs: () => T0,
      report: (line) => log.push(line),
    });
    await checkpoints.takeNow();
    expect(log).toEqual([expect.stringMatching(/^fjord: audit checkpoint failed: EISDIR/)]);
  });
});
