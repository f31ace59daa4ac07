// One control plane per database. Two `fjord serve` processes on the same database would each schedule
// the same queue (the GPU table refuses double grants, but each would start jobs the other does not know
// of), and two processes writing one embedded PGlite directory can damage it beyond repair. So a service
// claims its database before it opens it and holds the claim until it has closed it:
// - PostgreSQL: a session advisory lock on a connection of its own, which the server releases when that
//   connection ends, however the process ended;
// - embedded PGlite: a lock file in the data directory naming the holder's process; a file whose process
//   is gone (kill -9, power loss) is stale and taken over. PGlite itself keeps no lock.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { InputError, issueAt } from "../model/input-error.ts";
import { DATABASE_URL_SETTING } from "./postgres-store.ts";

export interface Claim {
  /** Resolves with the reason if the claim is lost while held (the lock's connection ended). */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export interface DataDirClaim extends Claim {
  /** A claim of a process that is gone was found and taken over: that process did not shut down cleanly. */
  readonly tookOverStale: boolean;
}

/** Another process holds the database. */
export class DatabaseInUseError extends Error {
  override readonly name = "DatabaseInUseError";
}

export const LOCK_FILE = "fjord.lock";

interface Holder {
  pid: number;
  host: string;
  sinceIso: string;
}

/** Claims the embedded database in `dataDir` (which must exist) for this process. */
export function claimDataDir(dataDir: string): DataDirClaim {
  const file = join(dataDir, LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: hostname(), sinceIso: new Date().toISOString() };
  let tookOverStale = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (placeLock(file, mine))
      return {
        tookOverStale,
        lost: new Promise<Error>(() => {}),
        release: async () => {
          // Only our own claim: a process that took over a claim it judged stale must keep it.
          if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    const holder = readHolder(file);
    if (holder !== null && holder.host !== mine.host)
      throw new DatabaseInUseError(
        `the database in ${dataDir} is claimed by process ${holder.pid} on ${holder.host} since ` +
          `${holder.sinceIso}; if that process is gone, delete ${file}`,
      );
    if (holder !== null && isAlive(holder.pid))
      throw new DatabaseInUseError(
        `the database in ${dataDir} is open in process ${holder.pid} (since ${holder.sinceIso}); stop it first`,
      );
    takeOverStale(file, holder);
    tookOverStale = true;
  }
  throw new DatabaseInUseError(`the database in ${dataDir} is being claimed by another process`);
}

/**
 * Puts the lock file in place whole, or not at all: written to a file of its own, then linked to the lock's
 * name, which fails if that exists. Another process never reads a lock cut short. False if one is there.
 */
function placeLock(file: string, holder: Holder): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, JSON.stringify(holder));
  try {
    linkSync(draft, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Moves a stale lock file aside. Two processes may judge the same file stale at once; whoever moves a file
 * that is not the stale one it read (another process's fresh claim) puts it back and lets the loop decide.
 */
function takeOverStale(file: string, stale: Holder | null): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const moved = readHolder(aside);
  if (moved !== null && (stale === null || moved.pid !== stale.pid) && isAlive(moved.pid))
    // Someone else's fresh claim, not the stale one: back it goes (unless yet another claim took the
    // place meanwhile, which the loop then sees).
    placeLock(file, moved);
  rmSync(aside, { force: true });
}

function readHolder(file: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Holder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string")
      return { pid: parsed.pid, host: parsed.host, sinceIso: String(parsed.sinceIso ?? "an unknown time") };
  } catch {
    // Missing, or cut short by a crash while it was written: no live holder either way.
  }
  return null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Advisory lock keys (two int4): "fjor" and the control plane. */
const LOCK_CLASS = 0x666a6f72;
const LOCK_CONTROL_PLANE = 1;

/** Claims the PostgreSQL database at `url` for this process's control plane. */
export async function claimPostgres(url: string, where: string): Promise<Claim> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "fjord serve (control-plane lock)",
    // A connection that silently vanished (a network partition) is noticed, so the lost claim is too.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (err) {
    throw new InputError(DATABASE_URL_SETTING, [
      issueAt([], `cannot connect to PostgreSQL at ${where}: ${(err as Error).message}`),
    ]);
  }
  let released = false;
  const lost = new Promise<Error>((resolve) => {
    const end = (err?: Error) => {
      if (!released)
        resolve(
          new Error(`lost the claim on ${where}: its connection ended${err ? ` (${err.message})` : ""}`),
        );
    };
    client.on("error", end);
    client.on("end", () => end());
  });
  let rows: { ok: boolean }[];
  try {
    ({ rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1, $2) as ok", [
      LOCK_CLASS,
      LOCK_CONTROL_PLANE,
    ]));
  } catch (err) {
    released = true;
    await client.end().catch(() => {});
    throw err;
  }
  if (rows[0]?.ok !== true) {
    const holder = await client.query<{ pid: number; client: string | null; since: Date }>(
      `select a.pid, host(a.client_addr) as client, a.backend_start as since
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
       where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.granted`,
      [LOCK_CLASS, LOCK_CONTROL_PLANE],
    );
    released = true;
    await client.end();
    const h = holder.rows[0];
    const by = h
      ? ` (server process ${h.pid}, client ${h.client ?? "local socket"}, connected since ${h.since.toISOString()})`
      : "";
    throw new DatabaseInUseError(`another fjord serve is running on ${where}${by}; stop it first`);
  }
  return {
    lost,
    release: async () => {
      released = true;
      await client.end();
    },
  };
}
