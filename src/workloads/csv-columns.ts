// Checks a CSV header against the columns a format knows, before any row is read: a misspelt or missing
// column is one problem at the header line, not the same problem on every row.
import type { IssueList } from "./issue-list.ts";

export interface ColumnSpec {
  /** Whether a column name belongs to the format (formats with open families like `labels.*` need a test). */
  isKnown(name: string): boolean;
  /** The known columns as a user should read them, for the unknown-column message. */
  knownText: string;
  required: readonly string[];
}

/** Column name → 0-based field index. Unknown, repeated and missing columns are added to `issues`. */
export function indexColumns(
  header: readonly string[],
  headerLine: number,
  spec: ColumnSpec,
  issues: IssueList,
): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const column = i + 1;
    if (name === "") {
      issues.add([], `column ${column} has no name in the header`, headerLine);
    } else if (!spec.isKnown(name)) {
      issues.add([name], `is not a known column (column ${column}; known: ${spec.knownText})`, headerLine);
    } else if (index.has(name)) {
      issues.add(
        [name],
        `appears twice in the header (columns ${index.get(name)! + 1} and ${column})`,
        headerLine,
      );
    } else {
      index.set(name, i);
    }
  });
  for (const name of spec.required) {
    if (!index.has(name)) {
      issues.add([name], `column is missing (the header has: ${header.join(", ")})`, headerLine);
    }
  }
  return index;
}
