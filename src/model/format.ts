// Numbers and times as Fjord shows them to people (CLI reports, waiting sentences). Fixed to en-US and UTC
// so the same decisions read the same on every host, and tests can assert exact text.

const wholeNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 2304 → "2,304". */
export function formatInt(n: number): string {
  return wholeNumber.format(n);
}

/** 3.25 → "3.3", 1234.5 → "1,234.5". */
export function formatOneDecimal(n: number): string {
  return oneDecimal.format(n);
}

const gpuAmount = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

/** GPUs, where a share of one GPU is a fraction: 2304 → "2,304", 0.25 → "0.25", 3.125 → "3.125". */
export function formatGpus(n: number): string {
  return gpuAmount.format(n);
}

/** "1 GPU", "2,304 GPUs": a count with its noun, plural when it is not exactly one. */
export function formatCount(n: number, noun: string): string {
  return `${formatInt(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/**
 * Epoch ms → ISO 8601 UTC to the minute, like `2026-12-02T10:00Z`. Seconds are truncated, as ISO truncation
 * does: decisions are made at pass granularity, and minutes are what an operator reads.
 */
export function formatUtcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}
