// Collects input problems row by row. A broken generator can write a million bad rows; keeping every issue
// would cost more memory than the file, so collection stops at a cap and says so.
import { InputError, type InputIssue, issueAt, type PathSegment } from "../model/input-error.ts";

const DEFAULT_CAP = 1000;

export class IssueList {
  readonly issues: InputIssue[] = [];
  private readonly cap: number;

  constructor(cap = DEFAULT_CAP) {
    this.cap = cap;
  }

  /** True once the cap is reached: callers stop reading rows. */
  get full(): boolean {
    return this.issues.length >= this.cap;
  }

  add(segments: readonly PathSegment[], message: string, line: number | undefined): void {
    if (this.full) return;
    const issue = issueAt(segments, message);
    this.issues.push(line === undefined ? issue : { ...issue, line });
    if (this.full) this.issues.push(issueAt([], `stopped reading after ${this.cap} problems`));
  }

  /** Throws InputError naming every collected problem, if there is any. */
  throwIfAny(source: string): void {
    if (this.issues.length > 0) throw new InputError(source, this.issues);
  }
}
