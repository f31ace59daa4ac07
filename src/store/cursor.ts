// Page cursors: the sort key of the last item handed out, as base64url JSON, so a page continues exactly
// after it however many rows were added meanwhile. Opaque to clients, checked in full when it comes back:
// only a cursor this module could have written is read, so nothing a client invents reaches a query.
import { InvalidCursorError } from "./store-errors.ts";

/** Position in submission order: the last job's submittedAtMs and id. */
export interface JobCursor {
  submittedAtMs: number;
  id: string;
}

export function encodeJobCursor(position: JobCursor): string {
  return encode([position.submittedAtMs, position.id]);
}

/** Job ids as Fjord makes them (`job_…`) or job files give them: short, printable ASCII. */
const JOB_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function decodeJobCursor(cursor: string): JobCursor {
  const value = decode(cursor);
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    value[0] >= 0 &&
    typeof value[1] === "string" &&
    JOB_ID.test(value[1])
  )
    return { submittedAtMs: value[0], id: value[1] };
  throw new InvalidCursorError(cursor);
}

/** Position in the audit log: the last entry's seq. */
export function encodeAuditCursor(seq: number): string {
  return encode([seq]);
}

export function decodeAuditCursor(cursor: string): number {
  const value = decode(cursor);
  if (Array.isArray(value) && value.length === 1 && Number.isSafeInteger(value[0]) && value[0] >= 0)
    return value[0];
  throw new InvalidCursorError(cursor);
}

function encode(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** The cursor's JSON, only if encoding it again gives the cursor back (no other spelling is accepted). */
function decode(cursor: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (!Array.isArray(value) || encode(value) !== cursor) throw new InvalidCursorError(cursor);
  return value;
}
