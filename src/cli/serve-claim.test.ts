// One `fjord serve` per database: a second one on the same embedded data directory or PostgreSQL database
// exits with EXIT_UNAVAILABLE naming the first, before it opens anything; once the first has stopped, the
// database can be served again.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fjordProcess } from "../../test/support/cli.ts";
import { freshPostgresDatabase } from "../../test/support/postgres.ts";
import { spawnService } from "../../test/support/service.ts";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_UNAVAILABLE } from "./exit-codes.ts";
import { type ServeOptions, startService } from "./serve-service.ts";

const dir = mkdtempSync(join(tmpdir(), "fjord-serve-claim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const postgresUrl = await freshPostgresDatabase();
const quiet = { out: () => {}, err: () => {} };
const FACILITY = "facilities/small-two-sites.yaml";

function options(over: Partial<ServeOptions>): ServeOptions {
  return {
    facility: FACILITY,
    policy: "policies/default.yaml",
    dataDir: join(dir, "unused"),
    host: "127.0.0.1",
    port: "0",
    speed: "1",
    demoLoad: false,
    seed: "1",
    log: false,
    ...over,
  };
}

/** What a refused start said last, after the lines it prints as it begins. */
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

const serveAgain = (...args: string[]) =>
  fjordProcess("serve", "--facility", FACILITY, "--port", "0", "--no-log", ...args);

describe("fjord serve claims its database", () => {
  it("refuses a second service on the same embedded data directory", async () => {
    const dataDir = join(dir, "embedded");
    const first = await startService(options({ dataDir }), quiet);
    try {
      const second = await serveAgain("--data-dir", dataDir);
      expect(second.code).toBe(EXIT_UNAVAILABLE);
      // It never serves, so it names no address.
      expect(second.stderr).not.toMatch(/API http/);
      const verify = await fjordProcess("audit", "verify", "--data-dir", dataDir);
      expect(verify.code).toBe(EXIT_UNAVAILABLE);
      expect(verify.stderr).toMatch(/is open in process \d+ \(since .*\); stop it first, then verify\n$/);
      expect(lastLine(second.stderr)).toMatch(
        new RegExp(
          `^fjord: the database in ${dataDir} is open in process ${process.pid} \\(since \\d{4}-\\S+Z\\); stop it first$`,
        ),
      );
    } finally {
      await first.stop();
    }
    const again = await startService(options({ dataDir }), quiet);
    await again.stop();
  });

  it("takes over from a service that was killed, for serving and for verifying", async () => {
    const dataDir = join(dir, "killed");
    const killed = await spawnService(["--facility", FACILITY, "--data-dir", dataDir]);
    killed.child.kill("SIGKILL");
    await new Promise((resolve) => killed.child.once("exit", resolve));
    const verify = await fjordProcess("audit", "verify", "--data-dir", dataDir);
    expect(verify.stderr).toBe("");
    expect(verify.code).toBe(EXIT_OK);
    const again = await spawnService(["--facility", FACILITY, "--data-dir", dataDir]);
    expect(await again.stop()).toBe(0);
  });

  it("refuses a port another process has, naming --port, before it creates a data directory or keys", async () => {
    const dataDir = join(dir, "port-in-use");
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const run = await fjordProcess(
        ...["serve", "--facility", FACILITY, "--no-log", "--data-dir", dataDir, "--port", String(port)],
      );
      expect(run.code).toBe(EXIT_BAD_INPUT);
      expect(run.stderr).toBe(`--port: cannot listen on 127.0.0.1:${port}: another process has it\n`);
      // Nothing was created: no database, and no API keys that were never shown.
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it.skipIf(postgresUrl === null)("refuses a second service on the same PostgreSQL database", async () => {
    const url = postgresUrl!;
    const first = await startService(options({ databaseUrl: url }), quiet);
    try {
      const second = await serveAgain("--database-url", url);
      expect(second.code).toBe(EXIT_UNAVAILABLE);
      expect(lastLine(second.stderr)).toMatch(
        /^fjord: another fjord serve is running on 127\.0\.0\.1:5432\/fjord_test_\w+ \(server process \d+, client 127\.0\.0\.1, connected since .*\); stop it first$/,
      );
    } finally {
      await first.stop();
    }
    const again = await startService(options({ databaseUrl: url }), quiet);
    await again.stop();
  });
});
