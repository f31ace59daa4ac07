// CSV text → header and rows, each row with the 1-based line it starts on, so every later problem can be
// reported at its line. Parsing is csv-parse's (RFC 4180 quoting, BOM); this file only adds line numbers
// and turns structural problems (bad quoting, a row with the wrong number of fields) into InputError.
import { CsvError, parse } from "csv-parse/sync";
import { InputError, issueAt } from "../model/input-error.ts";
import { IssueList } from "./issue-list.ts";

export interface CsvRow {
  /** 1-based line the row starts on. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  /** 1-based line of the header (after any leading empty lines). */
  headerLine: number;
  rows: CsvRow[];
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

/** Reads a CSV file with a header line; empty lines are skipped. Throws InputError for malformed CSV. */
export function readCsvTable(text: string, source: string): CsvTable {
  let records: Parsed[];
  try {
    // With `info: true` each record comes as { record, info }; csv-parse's types do not model the option.
    records = parse(text, {
      info: true,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Parsed[];
  } catch (err) {
    if (err instanceof CsvError) {
      const lines = typeof err.lines === "number" ? err.lines : undefined;
      const issue = issueAt([], `is not valid CSV: ${err.message}`);
      throw new InputError(source, [lines === undefined ? issue : { ...issue, line: lines }]);
    }
    throw err;
  }
  const first = records[0];
  if (first === undefined) {
    throw new InputError(source, [issueAt([], "is empty; expected a header line naming the columns")]);
  }
  const issues = new IssueList();
  const header = first.record.map((name) => name.trim());
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length && !issues.full; i++) {
    const { record, info } = records[i]!;
    const line = startLine(record, info.lines);
    if (record.length !== header.length) {
      issues.add([], `has ${record.length} fields, the header has ${header.length}`, line);
    }
    rows.push({ line, fields: record });
  }
  issues.throwIfAny(source);
  return { header, headerLine: startLine(first.record, first.info.lines), rows };
}

// csv-parse reports the line a record ends on; a quoted field may span lines, so count back over them.
function startLine(record: readonly string[], endLine: number): number {
  let line = endLine;
  for (const field of record) {
    if (!field.includes("\n")) continue;
    for (let i = 0; i < field.length; i++) if (field.charCodeAt(i) === 10) line--;
  }
  return line;
}
