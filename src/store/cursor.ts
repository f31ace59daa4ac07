// Page cursors: the sort key of the last item handed out, as base64url JSON, so a page continues exactly
// after it however many rows were added meanwhile. Opaque to clients, checked when it comes back.
import { InvalidCursorError } from "./store-errors.ts";

/** Position in submission order: the last job's submittedAtMs and id. */
export interface JobCursor {
  submittedAtMs: number;
  id: string;
}

export function encodeJobCursor(position: JobCursor): string {
  return encode([position.submittedAtMs, position.id]);
}

export function decodeJobCursor(cursor: string): JobCursor {
  const value = decode(cursor);
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    typeof value[1] === "string"
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

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError(cursor);
  }
}
