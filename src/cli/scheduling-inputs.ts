// Loads and cross-checks the files a scheduling command works on (facility, policy, queue, running jobs)
// and settles `now`. Shared by explain and the commands that will follow it (simulate, serve).
import { checkOperatorTenants } from "../facility/check-operator-tenants.ts";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import type { Facility, Job, Policy, RunningJob } from "../model/types.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import { checkJobTenants } from "../queue/check-job-tenants.ts";
import { checkRunning } from "../queue/check-running.ts";
import { loadJobsFile } from "../queue/load-jobs-file.ts";
import { loadRunningFile } from "../queue/load-running-file.ts";
import { latestMentionedMs, parseNowOption } from "./now-option.ts";

export interface InputPaths {
  facility: string;
  policy: string;
  jobs: string;
  running?: string | undefined;
  /** --now as typed; undefined = the latest time the inputs mention. */
  now?: string | undefined;
}

export interface SchedulingFiles {
  facility: Facility;
  policy: Policy;
  queue: Job[];
  running: RunningJob[];
  nowMs: number;
}

/**
 * Marks jobs whose submission time is "now" while now is not known yet (it may come from the jobs). NaN
 * cannot be a real time, so it is unambiguous, and it is replaced before anything reads it.
 */
const NOW_NOT_YET_KNOWN = Number.NaN;

/** Throws InputError for the first file that does not validate or does not agree with the others. */
export function loadSchedulingFiles(paths: InputPaths): SchedulingFiles {
  const explicitNowMs = paths.now === undefined ? null : parseNowOption(paths.now);
  const facility = loadFacilityFile(paths.facility);
  const policy = loadPolicyFile(paths.policy);
  checkOperatorTenants(facility, policy, paths.facility);
  const loaded = loadJobsFile(paths.jobs, { nowMs: explicitNowMs ?? NOW_NOT_YET_KNOWN });
  checkJobTenants(loaded, policy, paths.jobs);
  const running = paths.running === undefined ? [] : loadRunningFile(paths.running);
  // Without --now and without any time in the inputs there is nothing to reproduce: the clock it is.
  const nowMs = explicitNowMs ?? latestMentionedMs(loaded, running) ?? Date.now();
  const queue = loaded.map((job) =>
    Number.isNaN(job.submittedAtMs) ? { ...job, submittedAtMs: nowMs } : job,
  );
  if (paths.running !== undefined) checkRunning(running, { facility, policy, queue, nowMs }, paths.running);
  return { facility, policy, queue, running, nowMs };
}
