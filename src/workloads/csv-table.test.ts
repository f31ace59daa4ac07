import { describe, expect, it } from "vitest";
import { catchInputError } from "../../test/support/catch-input-error.ts";
import { readCsvTable } from "./csv-table.ts";

describe("readCsvTable", () => {
  it("numbers each row by the line it starts on, across empty lines and quoted line breaks", () => {
    const t = readCsvTable('\na,b\n1,"x\ny"\n\n2,3\n', "t.csv");
    expect(t.header).toEqual(["a", "b"]);
    expect(t.headerLine).toBe(2);
    expect(t.rows).toEqual([
      { line: 3, fields: ["1", "x\ny"] },
      { line: 6, fields: ["2", "3"] },
    ]);
  });

  it("reads CRLF files and a byte-order mark", () => {
    const t = readCsvTable("\uFEFFa,b\r\n1,2\r\n", "t.csv");
    expect(t.header).toEqual(["a", "b"]);
    expect(t.rows).toEqual([{ line: 2, fields: ["1", "2"] }]);
  });

  it("names every row with the wrong number of fields", () => {
    const err = catchInputError(() => readCsvTable("a,b\n1\n1,2\n1,2,3\n", "t.csv"));
    expect(err.issues.map((i) => [i.line, i.message])).toEqual([
      [2, "has 1 fields, the header has 2"],
      [4, "has 3 fields, the header has 2"],
    ]);
  });
});
