// The part of `fjord serve` that runs before its modules load: the options the port needs, and the port
// itself, so the process answers /healthz within a fraction of a second of its start.
import { InputError, issueAt } from "../model/input-error.ts";
import { type EarlyServer, listenFirst } from "../service/listen-first.ts";

/** Listens on host:port; a port another process has is bad input naming --port, not a crash. */
export async function listen(host: string, port: number): Promise<EarlyServer> {
  try {
    return await listenFirst(host, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES")
      throw new InputError("--port", [
        issueAt(
          [],
          `cannot listen on ${host}:${port}: ${code === "EADDRINUSE" ? "another process has it" : "not allowed"}`,
        ),
      ]);
    throw err;
  }
}

/** A number option, or an InputError naming the option and its value. */
export function parseNumber(option: string, raw: string, valid: (n: number) => boolean): number {
  const n = Number(raw);
  if (raw.trim() === "" || !valid(n))
    throw new InputError("command line", [issueAt([option], `"${raw}" is not a valid value`)]);
  return n;
}
