// Running the `fjord` CLI from tests: in-process through main(), or as the real binary in a child process;
// and the service in-process, for the commands that talk to its API.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import { startService } from "../../src/cli/serve-service.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/fjord.js …args` from the repository root (vitest's cwd). */
export function fjordProcess(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/fjord.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs main() in this process, capturing what it writes. */
export async function fjordInProcess(...args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "fjord", ...args], {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** `fjord serve` running in this process on a fresh data directory, with the keys of its first start. */
export interface TestService {
  url: string;
  dataDir: string;
  operatorKey: string;
  /** The tenant-admin key the first start made for `tenant`. */
  tenantKey(tenant: string): string;
  /** Stops the service and removes its data directory. */
  stop(): Promise<void>;
}

/** The small two-site facility and the default policy; `speed` 3600 runs an hour a second. */
export async function startTestService(speed = "3600"): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), "fjord-service-"));
  const quiet: CliIo = { out: () => {}, err: () => {} };
  const service = await startService(
    {
      facility: "facilities/small-two-sites.yaml",
      policy: "policies/default.yaml",
      dataDir,
      host: "127.0.0.1",
      port: "0",
      speed,
      demoLoad: false,
      seed: "1",
      log: false,
    },
    quiet,
  );
  const keys = JSON.parse(readFileSync(join(dataDir, "api-keys.json"), "utf8")) as {
    role: string;
    tenantId: string | null;
    key: string;
  }[];
  const keyOf = (role: string, tenantId: string | null) => {
    const found = keys.find((k) => k.role === role && k.tenantId === tenantId);
    if (found === undefined)
      throw new Error(`the first start made no ${role} key for ${tenantId ?? "operators"}`);
    return found.key;
  };
  return {
    url: service.url,
    dataDir,
    operatorKey: keyOf("operator", null),
    tenantKey: (tenant) => keyOf("tenant-admin", tenant),
    stop: async () => {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
