// Runs one Slurm client command against one cluster: execFile with an argument array (no shell), the
// cluster chosen by SLURM_CONF, a timeout, and errors that say whether trying again may help.
import { execFile } from "node:child_process";

export class SlurmCommandError extends Error {
  constructor(
    message: string,
    /** True when the controller could not be reached: the same call may succeed later. */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

// What Slurm's clients print when slurmctld is down, restarting or slow (seen while it restarts: refused,
// reset by peer, timed out), and our own exec timeouts. Anything else is Slurm's answer to the request.
const TRANSIENT =
  /Unable to contact slurm controller|Socket timed out|Connection (refused|reset|timed out)|Broken pipe|Zero Bytes were transmitted|temporarily|Communication connection failure|Network is unreachable|Transport endpoint|timed out|ETIMEDOUT|EAGAIN|ECONNRESET|ECONNREFUSED|EPIPE/i;

/** True when a client's error says the controller could not be reached, not that it refused. */
export function isTransient(said: string): boolean {
  return TRANSIENT.test(said);
}

export function runSlurm(
  program: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const said = `${stderr}`.trim() || err.message;
        reject(
          new SlurmCommandError(
            `${program} ${args[0] ?? ""}…: ${said}`,
            isTransient(said) || err.killed === true,
          ),
        );
      },
    );
  });
}
