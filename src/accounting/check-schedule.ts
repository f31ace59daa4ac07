// A schedule read from a file is checked against the facility before it is accounted for: every run at a
// site the facility has, no run larger than its site, utilisation labels that read as shares, and no instant
// at which a site's runs hold more GPUs than it has. Problems come back with their paths, for InputError.
import { type InputIssue, issueAt } from "../model/input-error.ts";
import { unknownReference } from "../model/input-schemas.ts";
import type { Facility } from "../model/types.ts";
import { DEFAULT_GPU_UTILISATION } from "./energy-defaults.ts";
import type { Schedule } from "./schedule.ts";
import { sitePowers } from "./site-power.ts";
import { jobUtilisation } from "./utilisation.ts";

const MAX_ISSUES = 50;

/**
 * `path` prefixes every issue's path (where the schedule sits in its file). Runs are checked whole, not only
 * within a reporting period: a schedule that overfills a site at any time is not one the facility could run.
 */
export function checkSchedule(
  schedule: Schedule,
  facility: Facility,
  path: readonly (string | number)[] = [],
): InputIssue[] {
  const issues: InputIssue[] = [];
  const add = (segments: (string | number)[], message: string) => {
    if (issues.length < MAX_ISSUES) issues.push(issueAt([...path, ...segments], message));
  };
  const powers = sitePowers(facility);
  const model = facility.gpuUtilisation ?? DEFAULT_GPU_UTILISATION;
  /** Per site: +GPUs at each run's start, −GPUs at its end. */
  const changes = new Map([...powers.keys()].map((id): [string, [number, number][]] => [id, []]));
  schedule.jobs.forEach((job, j) => {
    const reading = jobUtilisation(job.labels, model);
    if (!reading.ok) add(["jobs", j, "labels", reading.label], reading.problem);
    job.runs.forEach((run, r) => {
      const power = powers.get(run.siteId);
      if (power === undefined) {
        add(["jobs", j, "runs", r, "siteId"], unknownReference("site", run.siteId, [...powers.keys()]));
        return;
      }
      if (run.gpus > power.gpus) {
        add(
          ["jobs", j, "runs", r, "gpus"],
          `is ${run.gpus}, more than site ${run.siteId}'s ${power.gpus} GPUs`,
        );
        return;
      }
      changes.get(run.siteId)!.push([run.startAtMs, run.gpus], [run.endAtMs, -run.gpus]);
    });
  });
  for (const [siteId, events] of changes) {
    const capacity = powers.get(siteId)!.gpus;
    // At equal times ends come first: a run may start on the GPUs another run frees at that instant.
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Summed in thousandths of a GPU: shares of a GPU are fractions, whose sum as doubles can pass a
    // whole number it equals (0.1 + 0.2 + 0.7 > 1).
    let heldMilli = 0;
    for (const [atMs, delta] of events) {
      heldMilli += Math.round(delta * 1000);
      if (heldMilli > capacity * 1000) {
        add(
          ["jobs"],
          `hold ${heldMilli / 1000} GPUs at site ${siteId} from ${new Date(atMs).toISOString().slice(0, 16)}Z, more than its ${capacity}`,
        );
        break;
      }
    }
  }
  return issues;
}
