// Minimal benchmark harness: run a function after a warm-up, collect wall-clock samples, print results
// in one grep-able format. No dependency on a benchmark library: the figures must mean the same thing
// from one commit to the next, so the method stays here in plain sight.

export interface MeasureOptions {
  /** Untimed runs first, so the JIT has compiled the hot paths before we time them. */
  warmup: number;
  runs: number;
  /**
   * Force a full GC before each run (default false). Off, each run pays for collecting the garbage of
   * the runs before it, as a long-running scheduler does. On, every run starts on a freshly compacted,
   * shrunken heap and pays to grow it again: measured here, that adds ~50 % to a full pass and doubles a
   * sub-millisecond quick pass, a cost no real control loop sees.
   */
  gcBetweenRuns?: boolean;
}

export interface Measurement<T> {
  /** Wall-clock milliseconds of each timed run, in run order. */
  samples: number[];
  /** What the last timed run returned, for reporting counts alongside times. */
  last: T;
}

/** Runs `fn` warmup + runs times and times the last `runs` of them. */
export function measure<T>(fn: () => T, options: MeasureOptions): Measurement<T> {
  if (options.runs < 1) throw new Error("measure needs at least one timed run");
  const gc = options.gcBetweenRuns === true ? () => globalThis.gc?.() : () => {};
  for (let i = 0; i < options.warmup; i++) {
    gc();
    fn();
  }
  const samples: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < options.runs; i++) {
    gc();
    const t0 = performance.now();
    last = fn();
    samples.push(performance.now() - t0);
  }
  return { samples, last: last as T };
}

/** Nearest-rank percentile (p in [0, 1]): always a value that was actually observed. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Prints `bench <name> <value> <unit>`: the one line format scripts and docs rely on. */
export function report(name: string, value: number, unit: string): void {
  const digits = Number.isInteger(value) ? 0 : unit === "ratio" ? 2 : 1;
  console.log(`bench ${name} ${value.toFixed(digits)} ${unit}`);
}

/** Reads a positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}
