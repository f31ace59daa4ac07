// Jobs on Fjord's partition that Fjord does not run. A job named like Fjord's (fjord-<job id>) whose run
// Fjord no longer holds is a leftover of an earlier Fjord process (its cancel or preemption was stored, the
// scancel never sent): it is cancelled. Any other job is an orphan: someone submitted it past Fjord, so
// its nodes leave Fjord's placement while it holds them, and Fjord never schedules over it.

import type { SlurmJobView } from "./slurm-job-view.ts";
import { slurmPhase } from "./slurm-states.ts";

export interface Strangers {
  /** Slurm job ids to cancel. */
  leftovers: number[];
  /** Jobs Fjord did not submit that hold or wait for nodes. */
  orphans: SlurmJobView[];
}

/**
 * `ours`: `<name>|<comment>` of every run Fjord holds (a submission in flight included); `stopping`: Slurm
 * job ids Fjord already stops.
 */
export function findStrangers(
  views: Iterable<SlurmJobView>,
  ours: ReadonlySet<string>,
  stopping: ReadonlySet<number>,
): Strangers {
  const leftovers: number[] = [];
  const orphans: SlurmJobView[] = [];
  for (const view of views) {
    if (slurmPhase(view.state).phase === "ended" || stopping.has(view.slurmJobId)) continue;
    if (ours.has(`${view.name}|${view.comment}`)) continue;
    if (view.name.startsWith("fjord-") && view.comment.startsWith("fjord-run:"))
      leftovers.push(view.slurmJobId);
    else orphans.push(view);
  }
  return { leftovers, orphans };
}
