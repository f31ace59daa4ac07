// Tables for the commands that show the API's answers, in the house style of decisions-table.ts: plain text
// without colour, compact rows, a title with the row count, and `<title>: none` instead of an empty table.
import Table from "cli-table3";
import { formatInt } from "../../model/format.ts";

export type Cell = string | { content: string; hAlign: "right" };

/** A right-aligned cell, for numbers. */
export function right(content: string): Cell {
  return { content, hAlign: "right" };
}

const STYLE = { head: [], border: [], compact: true };

/** A titled table; the last column wraps at `lastWidth` characters when given. */
export function titledTable(title: string, head: string[], rows: Cell[][], lastWidth?: number): string {
  if (rows.length === 0) return `${title}: none\n`;
  return `${title} (${formatInt(rows.length)})\n${plainTable(head, rows, lastWidth)}\n`;
}

/** The table alone, without a title or final newline. */
export function plainTable(head: string[], rows: Cell[][], lastWidth?: number): string {
  const table = new Table({
    head,
    style: STYLE,
    ...(lastWidth === undefined
      ? {}
      : {
          // Padding is inside the width; null leaves a column to fit its content.
          colWidths: head.map((_, i) => (i === head.length - 1 ? lastWidth + 2 : null)),
          wordWrap: true,
        }),
  });
  table.push(...rows);
  return table.toString();
}

/** One record as label/value rows, for a single object shown in detail. */
export function fieldTable(rows: readonly (readonly [string, string])[]): string {
  const table = new Table({ style: STYLE });
  table.push(...rows.map(([label, value]) => [label, value]));
  return `${table.toString()}\n`;
}
