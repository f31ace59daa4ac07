// `fjord serve --audit-checkpoint`: the service checkpoints its own audit log, and its last checkpoint,
// taken as it stops, covers every entry it wrote.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fjordInProcess as fjord } from "../../test/support/cli.ts";
import { EXIT_BAD_INPUT, EXIT_OK } from "./exit-codes.ts";
import type { CliIo } from "./io.ts";
import { startService } from "./serve-service.ts";

describe("fjord serve --audit-checkpoint", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fjord-serve-checkpoint-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a checkpoint file without a key, or an interval that is not a duration, naming the option", async () => {
    const file = join(dir, "checkpoints.jsonl");
    const noKey = await fjord("serve", "--audit-checkpoint", file, "--port", "0", "--no-log");
    expect(noKey.code).toBe(EXIT_BAD_INPUT);
    expect(noKey.stderr).toMatch(/^--audit-checkpoint-key: is needed with --audit-checkpoint/);
    const key = join(dir, "audit.key");
    const args = ["--audit-checkpoint", file, "--audit-checkpoint-key", key];
    const soon = await fjord("serve", ...args, "--audit-checkpoint-every", "soon", "--port", "0", "--no-log");
    expect(soon.code).toBe(EXIT_BAD_INPUT);
    expect(soon.stderr).toMatch(/^--audit-checkpoint-every: "soon"/);
  });

  it("writes a last checkpoint at stop that the log it leaves verifies against", async () => {
    const dataDir = join(dir, "data");
    const file = join(dir, "checkpoints.jsonl");
    const key = join(dir, "keys", "audit.key");
    let stderr = "";
    const io: CliIo = {
      out: () => {},
      err: (text) => {
        stderr += text;
      },
    };
    const service = await startService(
      {
        facility: "facilities/small-two-sites.yaml",
        policy: "policies/default.yaml",
        dataDir,
        host: "127.0.0.1",
        port: "0",
        speed: "3600",
        demoLoad: false,
        seed: "1",
        log: false,
        auditCheckpoint: file,
        auditCheckpointKey: key,
        auditCheckpointEvery: "1h",
      },
      io,
    );
    await service.stop();
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(stderr).toMatch(
      /fjord: new audit signing key in .*audit\.key \(mode 0600; keep a copy off this host\)/,
    );
    const last = JSON.parse(readFileSync(file, "utf8").trim().split("\n").at(-1)!) as { seq: number };
    expect(stderr).toContain(`fjord: audit checkpoint: entry ${last.seq} appended to ${file}\n`);

    const run = await fjord(
      "audit",
      "verify",
      "--data-dir",
      dataDir,
      "--checkpoint",
      file,
      "--public-key",
      `${key}.pub`,
      "--json",
    );
    expect(run.code).toBe(EXIT_OK);
    const verdict = JSON.parse(run.stdout) as {
      head: { seq: number };
      checkpoints: { newest: { seq: number } };
    };
    expect(verdict.checkpoints.newest.seq).toBe(verdict.head.seq);
    expect(verdict.head.seq).toBe(last.seq);
  });
});
