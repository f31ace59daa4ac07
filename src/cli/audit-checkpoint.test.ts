// `fjord audit checkpoint` and `fjord audit verify --checkpoint` on both backends: fjord serve's embedded
// data directory and a PostgreSQL server. The log is tampered with in raw SQL, as someone with database
// access could; the checkpoint file and the key are what such a person cannot reach.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fjordInProcess } from "../../test/support/cli.ts";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { draft } from "../../test/support/test-records.ts";
import { EMPTY_CHAIN } from "../audit/hash-chain.ts";
import { AUDIT_HEAD_KEY } from "../store/audit-append.ts";
import { openStore } from "../store/open-store.ts";
import { openPGlite } from "../store/pglite-store.ts";
import { describeServer } from "../store/postgres-store.ts";
import type { Store } from "../store/store.ts";
import { embeddedDatabaseDir } from "./audit-store.ts";
import { EXIT_AUDIT_BROKEN, EXIT_BAD_INPUT, EXIT_OK } from "./exit-codes.ts";

const postgresUrl = await freshPostgresDatabase();

const fiveDrafts = () => [1, 2, 3, 4, 5].map((i) => draft("job.start", `job-${i}`));

/** A database holding five audit entries, as one of the backends keeps it. */
interface Database {
  /** --data-dir or --database-url, to pass to the command. */
  args: string[];
  /** Runs SQL on the database directly, outside the store. */
  sql(text: string, params?: unknown[]): Promise<void>;
  /** The database as the commands name it. */
  where: string;
}

interface Backend {
  name: string;
  /** null when the backend is not available here (no PostgreSQL server outside CI). */
  setUp: (() => { before(): Promise<void>; each(): Promise<Database>; after(): Promise<void> }) | null;
}

const withStore = async (open: () => Promise<Store>, act: (store: Store) => Promise<unknown>) => {
  const store = await open();
  try {
    await act(store);
  } finally {
    await store.close();
  }
};

const pgliteBackend: Backend = {
  name: "PGlite",
  setUp: () => {
    let original = "";
    let dataDir = "";
    return {
      before: async () => {
        original = mkdtempSync(join(tmpdir(), "fjord-checkpoint-"));
        await withStore(
          () => openStore({ dataDir: embeddedDatabaseDir(original) }),
          (store) => store.appendAudit(fiveDrafts()),
        );
      },
      // Each test tampers with its own copy; creating a database takes seconds, copying one does not.
      each: async () => {
        if (dataDir !== "") rmSync(dataDir, { recursive: true, force: true });
        dataDir = mkdtempSync(join(tmpdir(), "fjord-checkpoint-"));
        cpSync(original, dataDir, { recursive: true });
        return {
          args: ["--data-dir", dataDir],
          where: embeddedDatabaseDir(dataDir),
          sql: async (text, params) => {
            const pglite = await openPGlite(embeddedDatabaseDir(dataDir));
            await pglite.query(text, params);
            await pglite.close();
          },
        };
      },
      after: async () => {
        for (const dir of [original, dataDir]) if (dir !== "") rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgresBackend: Backend = {
  name: "PostgreSQL",
  setUp:
    postgresUrl === null
      ? null
      : () => {
          const raw = new pg.Client({ connectionString: postgresUrl });
          const sql = async (text: string, params: unknown[] = []) => {
            await raw.query(text, params);
          };
          return {
            before: async () => {
              await raw.connect();
              // Dropping the test database at the end ends this connection; that is expected.
              raw.on("error", () => {});
              await withStore(
                () => openStore({ databaseUrl: postgresUrl }),
                () => Promise.resolve(),
              );
            },
            each: async () => {
              await sql("truncate audit_log");
              await sql("update kv set value = $1::jsonb where key = $2", [
                JSON.stringify(EMPTY_CHAIN),
                AUDIT_HEAD_KEY,
              ]);
              await withStore(
                () => openStore({ databaseUrl: postgresUrl }),
                (store) => store.appendAudit(fiveDrafts()),
              );
              return {
                args: ["--database-url", postgresUrl],
                where: describeServer(postgresUrl),
                sql,
              };
            },
            after: () => raw.end(),
          };
        },
};

describe.each([pgliteBackend, postgresBackend])("fjord audit checkpoint on $name", ({ setUp }) => {
  describe.skipIf(setUp === null)("", () => {
    const backend = setUp?.();
    let db: Database;
    let dir: string;
    let key: string;
    let checkpoints: string;
    beforeAll(() => backend?.before());
    beforeEach(async () => {
      db = await backend!.each();
      dir = mkdtempSync(join(tmpdir(), "fjord-checkpoint-keys-"));
      key = join(dir, "keys", "audit.key");
      checkpoints = join(dir, "checkpoints.jsonl");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    afterAll(() => backend?.after());

    const checkpoint = (...args: string[]) =>
      fjordInProcess("audit", "checkpoint", ...db.args, "--key", key, ...args);
    const verify = (...args: string[]) => fjordInProcess("audit", "verify", ...db.args, ...args);
    const verifyAgainst = (publicKey = `${key}.pub`) =>
      verify("--checkpoint", checkpoints, "--public-key", publicKey);

    /** Deletes every entry after `seq` and sets the head to entry `seq`: the chain alone verifies. */
    const cutTailAfter = async (seq: number) => {
      await db.sql("delete from audit_log where seq > $1", [seq]);
      await db.sql(
        `update kv set value = (select jsonb_build_object('seq', seq, 'hash', hash) from audit_log where seq = $1)
         where key = $2`,
        [seq, AUDIT_HEAD_KEY],
      );
    };

    it("makes a key on first use, and a cut tail that verify alone passes fails against the checkpoint", async () => {
      const taken = await checkpoint("--out", checkpoints);
      expect(taken.code).toBe(EXIT_OK);
      expect(taken.stdout).toMatch(
        new RegExp(
          `^fjord: new signing key in ${key} \\(mode 0600; keep it off the database host\\), public key in ${key}.pub:\\n` +
            `  ed25519:[A-Za-z0-9_-]{43}\\n` +
            `checkpoint of ${db.where}: entry 5, hash [0-9a-f]{64}; appended to ${checkpoints}\\n` +
            "signed by ed25519:[A-Za-z0-9_-]{43}\\n$",
        ),
      );
      expect(statSync(key).mode & 0o777).toBe(0o600);
      expect(existsSync(`${key}.pub`)).toBe(true);

      await cutTailAfter(3);
      // Without a checkpoint, the cut goes unseen: this is the gap checkpoints close.
      expect((await verify()).code).toBe(EXIT_OK);
      const run = await verifyAgainst();
      expect(run.code).toBe(EXIT_AUDIT_BROKEN);
      expect(run.stdout).toMatch(
        new RegExp(
          `^audit log BROKEN in ${db.where}\\nfirst bad entry: 4 \\(cut\\): the log ends at entry 3, but the ` +
            "checkpoint on line 1 \\(.*\\) recorded entry 5: entries 4–5 were cut off the end \\(and the chain head rewound\\)\\n$",
        ),
      );
      expect(run.stderr).toBe(
        `fjord: the audit log does not hold the head checkpointed on line 1 of ${checkpoints} (cut)\n`,
      );
    });

    it("passes a log that holds every checkpoint, with the key given as the text it printed", async () => {
      const first = await checkpoint();
      expect(first.code).toBe(EXIT_OK);
      const publicKey = /\n {2}(ed25519:\S+)\n/.exec(first.stderr)?.[1];
      expect(publicKey).toBeDefined();
      writeFileSync(checkpoints, first.stdout);
      expect((await checkpoint("--out", checkpoints)).code).toBe(EXIT_OK);
      const run = await verifyAgainst(publicKey);
      expect(run.code).toBe(EXIT_OK);
      expect(run.stdout).toMatch(
        new RegExp(
          `^audit log intact: 5 entries in ${db.where}\\nchain head: entry 5, hash [0-9a-f]{64}\\n` +
            `held: 2 checkpoints in ${checkpoints}, each signed by ${publicKey}\\n` +
            "newest checkpoint: entry 5 at \\S+Z \\(line 2\\)\\n$",
        ),
      );
    });

    it("refuses a checkpoint line altered after it was signed, and one signed by another key", async () => {
      await checkpoint("--out", checkpoints);
      const line = JSON.parse(readFileSync(checkpoints, "utf8")) as { seq: number };
      writeFileSync(checkpoints, `${JSON.stringify({ ...line, seq: 3 })}\n`);
      const forged = await verifyAgainst();
      expect(forged.code).toBe(EXIT_AUDIT_BROKEN);
      expect(forged.stdout).toMatch(new RegExp(`^checkpoint REFUSED: line 1 of ${checkpoints} \\(forged\\)`));

      const otherKey = join(dir, "other.key");
      writeFileSync(checkpoints, "");
      await fjordInProcess("audit", "checkpoint", ...db.args, "--key", otherKey, "--out", checkpoints);
      const foreign = await verifyAgainst();
      expect(foreign.code).toBe(EXIT_AUDIT_BROKEN);
      expect(foreign.stderr).toBe(
        `fjord: the checkpoint on line 1 of ${checkpoints} is not signed by the given key (other-key)\n`,
      );
    });
  });
});

describe("fjord audit checkpoint refuses", () => {
  const backend = pgliteBackend.setUp!();
  let db: Database;
  let dir: string;
  beforeAll(() => backend.before());
  beforeEach(async () => {
    db = await backend.each();
    dir = mkdtempSync(join(tmpdir(), "fjord-checkpoint-keys-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(() => backend.after());

  it("to sign the head of a broken chain (exit code 6), appending and printing no checkpoint", async () => {
    await db.sql(`update audit_log set details = '{"via": "edited"}' where seq = 2`);
    const out = join(dir, "checkpoints.jsonl");
    const run = await fjordInProcess(
      "audit",
      "checkpoint",
      ...db.args,
      "--key",
      join(dir, "k"),
      "--out",
      out,
    );
    expect(run.code).toBe(EXIT_AUDIT_BROKEN);
    expect(run.stderr).toBe(
      "fjord: not signing a broken chain: the audit log's hash chain is broken at entry 2 (altered)\n",
    );
    expect(existsSync(out)).toBe(false);
    // Without --out, stdout may be piped onto a checkpoint file: nothing but a checkpoint goes there.
    const piped = await fjordInProcess("audit", "checkpoint", ...db.args, "--key", join(dir, "k"));
    expect(piped.code).toBe(EXIT_AUDIT_BROKEN);
    expect(piped.stdout).toBe("");
    expect(piped.stderr).toMatch(/^audit log BROKEN in .*\nfirst bad entry: 2 \(altered\)/);
  });

  it("a private key file others can read (exit code 2)", async () => {
    const key = join(dir, "audit.key");
    await fjordInProcess("audit", "checkpoint", ...db.args, "--key", key);
    chmodSync(key, 0o644);
    const run = await fjordInProcess("audit", "checkpoint", ...db.args, "--key", key);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toBe(
      `--key: ${key} can be read by others (mode 0644); anyone who can read it can sign checkpoints: chmod 600 ${key}\n`,
    );
  });

  it("a checkpoint file with a line that is not a checkpoint, or without --public-key (exit code 2)", async () => {
    const file = join(dir, "checkpoints.jsonl");
    writeFileSync(file, '{"format":"fjord-audit-checkpoint/1"}\nnot json\n');
    const bad = await fjordInProcess(
      "audit",
      "verify",
      ...db.args,
      "--checkpoint",
      file,
      "--public-key",
      "x",
    );
    expect(bad.code).toBe(EXIT_BAD_INPUT);
    const none = await fjordInProcess("audit", "verify", ...db.args, "--checkpoint", file);
    expect(none.code).toBe(EXIT_BAD_INPUT);
    expect(none.stderr).toMatch(/^--public-key: is needed with --checkpoint/);
    const key = join(dir, "audit.key");
    await fjordInProcess("audit", "checkpoint", ...db.args, "--key", key);
    const lines = await fjordInProcess(
      "audit",
      "verify",
      ...db.args,
      "--checkpoint",
      file,
      "--public-key",
      `${key}.pub`,
    );
    expect(lines.code).toBe(EXIT_BAD_INPUT);
    expect(lines.stderr).toMatch(new RegExp(`^${file}: chain: Invalid input.* \\(line 1\\)\\n`));
    expect(lines.stderr).toContain(`${file}: not JSON (line 2)\n`);
  });
});
