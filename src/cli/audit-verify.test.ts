// `fjord audit verify` on an embedded data directory as `fjord serve` leaves it: an intact log verifies,
// and a log changed behind the store's back (raw SQL, as someone with database access could) is named at
// its first bad entry with exit code 6.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fjordInProcess } from "../../test/support/cli.ts";
import { openStore } from "../store/open-store.ts";
import { openPGlite } from "../store/pglite-store.ts";
import type { AuditDraft } from "../store/records.ts";
import { embeddedDatabaseDir } from "./audit-store.ts";
import { EXIT_AUDIT_BROKEN, EXIT_BAD_INPUT, EXIT_OK, EXIT_UNAVAILABLE } from "./exit-codes.ts";

const verify = (...args: string[]) => fjordInProcess("audit", "verify", ...args);

const T0 = Date.parse("2026-12-01T00:00:00Z");

function draft(i: number): AuditDraft {
  return {
    atMs: T0 + i * 60_000,
    actor: "scheduler",
    action: "job.start",
    tenantId: "aurora-labs",
    objectType: "job",
    objectId: `job-${i}`,
    details: { siteId: "no-test" },
  };
}

/** A data directory whose database holds five audit entries, closed again. */
async function dataDirWithFiveEntries(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "fjord-audit-"));
  const store = await openStore({ dataDir: embeddedDatabaseDir(dataDir) });
  await store.appendAudit([1, 2, 3, 4, 5].map(draft));
  await store.close();
  return dataDir;
}

/** Runs SQL on the data directory's database directly, outside the store. */
async function tamper(dataDir: string, sql: string): Promise<void> {
  const pglite = await openPGlite(embeddedDatabaseDir(dataDir));
  await pglite.query(sql);
  await pglite.close();
}

describe("fjord audit verify", () => {
  let original: string;
  let dataDir: string;
  beforeAll(async () => {
    original = await dataDirWithFiveEntries();
  });
  // Each test tampers with its own copy; creating a database takes seconds, copying one does not.
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "fjord-audit-"));
    cpSync(original, dataDir, { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  afterAll(() => rmSync(original, { recursive: true, force: true }));

  it("finds an untouched log intact and prints its chain head", async () => {
    const run = await verify("--data-dir", dataDir);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(
      new RegExp(
        `^audit log intact: 5 entries in ${dataDir}/db\\nchain head: entry 5, hash [0-9a-f]{64}\\n$`,
      ),
    );
    const json = JSON.parse((await verify("--data-dir", dataDir, "--json")).stdout) as {
      ok: boolean;
      entries: number;
      head: { seq: number };
    };
    expect(json).toMatchObject({ ok: true, entries: 5, head: { seq: 5 } });
  });

  it("names the first entry changed in the database, and exits with 6", async () => {
    await tamper(dataDir, `update audit_log set details = '{"siteId": "ae-test"}' where seq = 3`);
    const run = await verify("--data-dir", dataDir);
    expect(run.code).toBe(EXIT_AUDIT_BROKEN);
    expect(run.stdout).toMatch(
      /^audit log BROKEN in .*\nfirst bad entry: 3 \(altered\): entry 3 does not match its hash/,
    );
    expect(run.stdout).toContain(
      "entry 3 as stored: 2026-12-01T00:03:00.000Z scheduler job.start job job-3 (tenant aurora-labs)",
    );
    expect(run.stderr).toBe("fjord: the audit log's hash chain is broken at entry 3 (altered)\n");
  });

  it("notices entries cut off the end, which leave no entry to show", async () => {
    await tamper(dataDir, "delete from audit_log where seq >= 4");
    const run = await verify("--data-dir", dataDir, "--json");
    expect(run.code).toBe(EXIT_AUDIT_BROKEN);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      problem: { seq: 4, kind: "missing" },
      entry: null,
    });
  });

  it("refuses a directory without a database instead of creating an empty one (exit code 2)", async () => {
    const empty = mkdtempSync(join(tmpdir(), "fjord-audit-empty-"));
    const run = await verify("--data-dir", empty);
    rmSync(empty, { recursive: true });
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toBe(
      `--data-dir: no Fjord database in ${empty}: ${empty}/db does not exist (fjord serve --data-dir creates it)\n`,
    );
  });

  it("refuses a database another process has open (exit code 5)", async () => {
    const store = await openStore({ dataDir: embeddedDatabaseDir(dataDir) });
    try {
      const run = await verify("--data-dir", dataDir);
      expect(run.code).toBe(EXIT_UNAVAILABLE);
      expect(run.stderr).toMatch(/is open in another process \(fjord serve\?\): stop it, then verify/);
    } finally {
      await store.close();
    }
  });
});
