// Jobs and policy come from different files, so a job's tenant can only be checked once both are loaded.
import { InputError, issueAt } from "../model/input-error.ts";
import { unknownReference } from "../model/input-schemas.ts";
import type { Job, Policy } from "../model/types.ts";

/**
 * Throws InputError (paths `jobs[i].tenant`, in the order the jobs were parsed) for every job whose tenant the
 * policy does not define. `source` is the jobs file.
 */
export function checkJobTenants(jobs: readonly Job[], policy: Policy, source: string): void {
  const known = policy.tenants.map((t) => t.id);
  const knownSet = new Set(known);
  const issues = jobs.flatMap((job, i) =>
    knownSet.has(job.tenantId)
      ? []
      : [issueAt(["jobs", i, "tenant"], unknownReference("tenant", job.tenantId, known))],
  );
  if (issues.length > 0) throw new InputError(source, issues);
}
