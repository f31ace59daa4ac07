// Runs `fjord serve` as a real child process, as an operator would, so tests can kill it with SIGKILL,
// restart it on the same database and talk to it over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  /** Resolves once the service prints that it is ready (it has loaded its jobs; /readyz answers 200). */
  ready: Promise<void>;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then resolves with the exit code once the process has drained and exited. */
  stop(): Promise<number | null>;
}

/**
 * Starts `fjord serve --port 0 --no-log …args` and resolves once it is ready, or with `until: "listening"`
 * as soon as it prints where the API listens (it answers from then on, /readyz with 503 until ready).
 */
export async function spawnService(
  args: string[],
  { until = "ready", timeoutMs = 90_000 }: { until?: "listening" | "ready"; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const service = await spawnListening(args, timeoutMs);
  if (until === "ready") await service.ready;
  return service;
}

function spawnListening(args: string[], timeoutMs: number): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["bin/fjord.js", "serve", "--port", "0", "--no-log", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fjord serve was not ready in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      const match = /API (http:\/\/\S+)\/v1/.exec(stderr);
      if (match) listening(match[1]!);
      if (/^fjord: ready in /m.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fjord serve exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  // Whoever waits for the URL hears of a start that failed; `ready` may be left unawaited.
  ready.catch(() => {});
  return Promise.race([url, ready.then(() => url)]).then((address) => ({
    child,
    url: address,
    ready,
    stderr: () => stderr,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  }));
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
