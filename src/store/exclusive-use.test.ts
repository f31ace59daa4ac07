import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { claimDataDir, claimPostgres, DatabaseInUseError, LOCK_FILE } from "./exclusive-use.ts";

const dir = mkdtempSync(join(tmpdir(), "fjord-claim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lockFile(holder: { pid: number; host?: string }): void {
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ host: hostname(), sinceIso: "2026-11-29T00:00:00.000Z", ...holder }),
  );
}

/** A process that is alive until killed. */
function liveProcess() {
  return spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe("claiming an embedded data directory", () => {
  it("writes a lock naming this process and removes it on release", async () => {
    const claim = claimDataDir(dir);
    expect(claim.tookOverStale).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await claim.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("refuses while the process named in the lock is alive, naming it", async () => {
    const holder = liveProcess();
    try {
      lockFile({ pid: holder.pid! });
      expect(() => claimDataDir(dir)).toThrow(DatabaseInUseError);
      expect(() => claimDataDir(dir)).toThrow(
        `is open in process ${holder.pid} (since 2026-11-29T00:00:00.000Z)`,
      );
      // The holder's lock is left as it was.
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(holder.pid);
    } finally {
      holder.kill("SIGKILL");
      rmSync(join(dir, LOCK_FILE), { force: true });
    }
  });

  it("takes over the lock of a process that is gone, or one cut short", async () => {
    for (const content of [JSON.stringify({ pid: await deadPid(), host: hostname() }), '{"pid": 12']) {
      writeFileSync(join(dir, LOCK_FILE), content);
      const claim = claimDataDir(dir);
      expect(claim.tookOverStale).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
      await claim.release();
    }
  });

  it("refuses a lock taken on another host, whose process it cannot check", () => {
    lockFile({ pid: 1, host: "elsewhere.example" });
    try {
      expect(() => claimDataDir(dir)).toThrow(
        /claimed by process 1 on elsewhere.example .* delete .*fjord.lock/,
      );
    } finally {
      rmSync(join(dir, LOCK_FILE), { force: true });
    }
  });

  it("does not remove a lock another process took over after this one", async () => {
    const claim = claimDataDir(dir);
    const other = liveProcess();
    try {
      lockFile({ pid: other.pid! });
      await claim.release();
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(other.pid);
    } finally {
      other.kill("SIGKILL");
      rmSync(join(dir, LOCK_FILE), { force: true });
    }
  });
});

const postgresUrl = await freshPostgresDatabase();

describe.skipIf(postgresUrl === null)("claiming a PostgreSQL database", () => {
  const url = postgresUrl!;

  it("lets one process hold it, names the holder to the next, and frees it on release", async () => {
    const first = await claimPostgres(url, "test db");
    const refused = await claimPostgres(url, "test db").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DatabaseInUseError);
    expect((refused as Error).message).toMatch(
      /^another fjord serve is running on test db \(server process \d+, client 127\.0\.0\.1, connected since \d{4}-.*Z\); stop it first$/,
    );
    await first.release();
    const second = await claimPostgres(url, "test db");
    await second.release();
  });

  it("reports the claim lost when its connection ends, and the database is free again", async () => {
    const claim = await claimPostgres(url, "test db");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'fjord serve (control-plane lock)' and datname = current_database()",
      );
      expect((await claim.lost).message).toMatch(/^lost the claim on test db: its connection ended/);
      const next = await claimPostgres(url, "test db");
      await next.release();
    } finally {
      await admin.end();
      await claim.release();
    }
  });
});
