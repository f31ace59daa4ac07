// The control plane's clock. In production it is the wall clock; a demo or a planning session may run it
// faster (speed 60 = an hour a minute), and then it resumes after a restart from where it stopped instead
// of jumping to the wall clock, so jobs keep the durations they had.

export interface ServiceClock {
  readonly speed: number;
  nowMs(): number;
  /** Real milliseconds until the clock reads `atMs` (0 if it already has). */
  realDelayMs(atMs: number): number;
}

export function serviceClock(options: {
  speed: number;
  /** Clock reading to resume from when speed ≠ 1; null = the wall clock's reading now. */
  resumeAtMs: number | null;
  wallNowMs?: () => number;
}): ServiceClock {
  const { speed } = options;
  if (!(Number.isFinite(speed) && speed > 0))
    throw new Error(`speed must be a positive number, got ${speed}`);
  const wall = options.wallNowMs ?? Date.now;
  const anchorWallMs = wall();
  const anchorMs = speed === 1 || options.resumeAtMs === null ? anchorWallMs : options.resumeAtMs;
  return {
    speed,
    nowMs: () => Math.floor(anchorMs + (wall() - anchorWallMs) * speed),
    realDelayMs: (atMs) =>
      Math.max(0, Math.ceil((atMs - (anchorMs + (wall() - anchorWallMs) * speed)) / speed)),
  };
}
