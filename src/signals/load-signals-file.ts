// Reads a signals CSV from disk; the only I/O of src/signals.
import { readFileSync } from "node:fs";
import type { Signals } from "../accounting/signals.ts";
import { readSignalsCsv, type SignalsWanted } from "./read-signals-csv.ts";

export function loadSignalsFile(path: string, wanted: SignalsWanted): Signals {
  return readSignalsCsv(readFileSync(path, "utf8"), path, wanted);
}
