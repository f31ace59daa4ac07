import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeAuditCursor, decodeJobCursor, encodeAuditCursor, encodeJobCursor } from "./cursor.ts";
import { InvalidCursorError } from "./store-errors.ts";

const asCursor = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

describe("page cursors", () => {
  it("give back the position they were made from", () => {
    const position = { submittedAtMs: 1_796_000_000_000, id: "job_01m8kdnwg27vvsn4gd9kg9qndp" };
    expect(decodeJobCursor(encodeJobCursor(position))).toEqual(position);
    expect(decodeAuditCursor(encodeAuditCursor(42))).toBe(42);
  });

  it.each([
    ["a NUL in the id", "WzAsIlx1MDAwMCJd"],
    ["a lone surrogate in the id", asCursor([0, "\ud800"])],
    ["a negative time", asCursor([-1, "job_1"])],
    ["an id with spaces", asCursor([0, "job 1"])],
    ["padding", `${asCursor([0, "job_1"])}=`],
    ["another spelling of the same JSON", Buffer.from('[0, "job_1"]').toString("base64url")],
  ])("refuses %s", (_, cursor) => {
    expect(() => decodeJobCursor(cursor)).toThrow(InvalidCursorError);
  });

  it("reads a cursor made of any JSON as a position it could have written, or refuses it as invalid", () => {
    const attempt = <T>(read: () => T): T | InvalidCursorError => {
      try {
        return read();
      } catch (err) {
        if (err instanceof InvalidCursorError) return err;
        throw err;
      }
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.tuple(fc.integer(), fc.string({ unit: "binary" }))),
        (value) => {
          const cursor = asCursor(value);
          const job = attempt(() => decodeJobCursor(cursor));
          if (!(job instanceof InvalidCursorError)) {
            expect(encodeJobCursor(job)).toBe(cursor);
            expect(job.id).toMatch(/^[A-Za-z0-9._-]+$/);
          }
          const seq = attempt(() => decodeAuditCursor(cursor));
          if (!(seq instanceof InvalidCursorError)) expect(encodeAuditCursor(seq)).toBe(cursor);
        },
      ),
    );
  });
});
