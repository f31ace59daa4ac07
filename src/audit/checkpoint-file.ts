// A checkpoint file: JSON lines, one signed checkpoint a line, oldest first, only ever appended to. Lines
// that are not checkpoints are bad input naming the line; whether a checkpoint's signature holds is for
// verification to say (a forged line is evidence of tampering, not a typing mistake).
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fromZodError, InputError, type InputIssue, issueAt } from "../model/input-error.ts";
import { type Checkpoint, checkpointSchema } from "./checkpoint.ts";

export interface CheckpointLine {
  /** 1-based line in the file. */
  line: number;
  checkpoint: Checkpoint;
}

export function readCheckpointFile(file: string): CheckpointLine[] {
  const lines: CheckpointLine[] = [];
  const issues: InputIssue[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, index) => {
      const line = index + 1;
      if (text.trim() === "") return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        issues.push({ ...issueAt([], "not JSON"), line });
        return;
      }
      const parsed = checkpointSchema.safeParse(json);
      if (parsed.success) lines.push({ line, checkpoint: parsed.data });
      else for (const issue of fromZodError(parsed.error, file).issues) issues.push({ ...issue, line });
    });
  if (issues.length > 0) throw new InputError(file, issues);
  if (lines.length === 0)
    throw new InputError(file, [
      issueAt([], "holds no checkpoints (fjord audit checkpoint --out writes them)"),
    ]);
  return lines;
}

/** Appends one line; the file and its directory are created when missing. */
export function appendCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(checkpoint)}\n`);
}
