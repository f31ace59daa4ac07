// Counts input a reader skipped or changed, by reason, so a figure computed from a replay can say exactly
// what it left out. The reason names the first line for problems in the data, where a user can look.

/** Counts by reason in first-seen order. */
export class ReasonCounter {
  private readonly counts = new Map<string, { count: number; firstLine: number | undefined }>();

  add(reason: string, line?: number): void {
    const entry = this.counts.get(reason);
    if (entry) entry.count++;
    else this.counts.set(reason, { count: 1, firstLine: line });
  }

  list(): { reason: string; count: number }[] {
    return [...this.counts].map(([reason, { count, firstLine }]) => ({
      reason: firstLine === undefined ? reason : `${reason}; first on line ${firstLine}`,
      count,
    }));
  }
}
