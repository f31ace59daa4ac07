// Runs `fjord serve` as a real child process, as an operator would, so tests can kill it with SIGKILL,
// restart it on the same database and talk to it over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then resolves with the exit code once the process has drained and exited. */
  stop(): Promise<number | null>;
}

/** Starts `fjord serve --port 0 --no-log …args` and resolves once it prints where the API listens. */
export function spawnService(args: string[], timeoutMs = 90_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["bin/fjord.js", "serve", "--port", "0", "--no-log", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fjord serve did not start in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      const match = /API (http:\/\/\S+)\/v1/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          stderr: () => stderr,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fjord serve exited with ${code} before it started:\n${stderr}`));
    });
  });
}

export interface SavedKey {
  label: string;
  role: string;
  tenantId: string | null;
  key: string;
}

/** The API keys the first start saved in the data directory. */
export function savedKeys(dataDir: string): SavedKey[] {
  return JSON.parse(readFileSync(join(dataDir, "api-keys.json"), "utf8")) as SavedKey[];
}
