// The CLI's exit codes and how a failure becomes one. Scripts and CI branch on these, so they are part of
// the interface and documented in every command's --help.
import { CommanderError } from "commander";
import { InputError } from "../model/input-error.ts";
import type { CliIo } from "./io.ts";

export const EXIT_OK = 0;
/** A bug in Fjord, not in the input: the message asks for a report. */
export const EXIT_UNEXPECTED = 1;
/**
 * The input is at fault: a bad command line, a file that cannot be read or does not validate, or a request
 * the API refused as invalid.
 */
export const EXIT_BAD_INPUT = 2;
/** The API has no such object for this caller (another tenant's objects look exactly like missing ones). */
export const EXIT_NOT_FOUND = 3;
/** No API key, or the API refused it (unknown, revoked) or refused its role the request. */
export const EXIT_AUTH = 4;
/**
 * The service could not be reached, or answered that it cannot serve now (5xx, rate limit) or not as
 * Fjord's API; or the database is claimed by another process (a running fjord serve).
 */
export const EXIT_UNAVAILABLE = 5;
/**
 * `fjord audit verify` found the audit log's hash chain broken, or not holding a checkpointed head, or a
 * checkpoint not signed by the given key; `fjord audit checkpoint` refused to sign a broken chain.
 */
export const EXIT_AUDIT_BROKEN = 6;
/** `fjord watch`: the job ended, but did not complete (it failed or was cancelled). */
export const EXIT_JOB_NOT_COMPLETED = 7;

export const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT_OK}  success
  ${EXIT_UNEXPECTED}  unexpected error (a bug in fjord; please report it)
  ${EXIT_BAD_INPUT}  invalid input: bad command line, unreadable file, or a file that does not validate
     (each problem is printed to stderr as <file>: <field path>: <reason>), or a request the API
     refused as invalid (printed as <field>: <reason>)
  ${EXIT_NOT_FOUND}  the API has no such job, tenant or API key for this API key
  ${EXIT_AUTH}  no API key, a key the API does not accept, or a role that may not do this
  ${EXIT_UNAVAILABLE}  the service is unreachable, unavailable (5xx), rate-limiting, or not a Fjord API;
     or the database is claimed by another process (a running fjord serve)
  ${EXIT_AUDIT_BROKEN}  fjord audit verify: the audit log's hash chain is broken, or it does not hold a head
     checkpointed in --checkpoint, or a checkpoint is not signed by --public-key;
     fjord audit checkpoint: the chain is broken, so its head was not signed
  ${EXIT_JOB_NOT_COMPLETED}  fjord watch: the job ended without completing (failed or cancelled)`;

/**
 * A failure a command describes in plain words and that has its own exit code, such as a refusal by the
 * API or a broken audit chain; the message is printed as it is, without a stack.
 */
export class CliFailure extends Error {
  override readonly name: string = "CliFailure";
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Reports `err` on stderr (unless commander already did) and returns the exit code it stands for. */
export function exitCodeFor(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Commander has printed its own message (or the help); --help and --version end in success.
    return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (err instanceof InputError) {
    io.err(`${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof CliFailure) {
    io.err(`${err.message}\n`);
    return err.exitCode;
  }
  const unreadable = unreadableFile(err);
  if (unreadable !== null) {
    io.err(`${unreadable}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.err(`fjord: unexpected error (a bug in fjord; please report it):\n${detail}\n`);
  return EXIT_UNEXPECTED;
}

const READ_PROBLEMS = new Map<string, string>(
  Object.entries({
    ENOENT: "no such file",
    EISDIR: "is a directory, not a file",
    EACCES: "permission denied",
    ENOTDIR: "a part of the path is not a directory",
  }),
);

/** `<path>: cannot read: <why>` for the file-system errors a mistyped path causes; null for anything else. */
function unreadableFile(err: unknown): string | null {
  if (!(err instanceof Error) || !("code" in err) || !("path" in err)) return null;
  const { code, path } = err;
  if (typeof code !== "string" || typeof path !== "string") return null;
  const why = READ_PROBLEMS.get(code);
  return why === undefined ? null : `${path}: cannot read: ${why}`;
}
