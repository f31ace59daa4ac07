// The time a pass is decided at. Explaining yesterday's queue must give yesterday's answer, so `now` is an
// input: given with --now, or taken from the inputs themselves rather than the wall clock.
import { timestampMs, validate } from "../model/input-schemas.ts";
import type { Job, RunningJob } from "../model/types.ts";

/** Parses --now; throws InputError (`--now: must be an ISO 8601 timestamp …`) for anything else. */
export function parseNowOption(text: string): number {
  return validate(timestampMs, text, "--now");
}

/**
 * The latest time the inputs mention: queued and running jobs' submissions, running jobs' starts. Times
 * that are not finite (jobs whose submission is still to be filled in) are skipped; null when none is left.
 */
export function latestMentionedMs(queue: readonly Job[], running: readonly RunningJob[]): number | null {
  let latest: number | null = null;
  const see = (ms: number) => {
    if (Number.isFinite(ms) && (latest === null || ms > latest)) latest = ms;
  };
  for (const job of queue) see(job.submittedAtMs);
  for (const r of running) {
    see(r.job.submittedAtMs);
    see(r.startedAtMs);
  }
  return latest;
}
