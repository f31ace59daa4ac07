import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { policyFromDocument } from "../policy/parse-policy.ts";
import { checkJobTenants } from "./check-job-tenants.ts";
import { jobsFromDocument } from "./parse-jobs.ts";

const policy = policyFromDocument({
  tiers: [{ id: "global", guaranteed: { share: 0.5 } }],
  tenants: [
    { id: "meridian", tier: "global" },
    { id: "falcon", tier: "global" },
  ],
});

const jobs = jobsFromDocument(
  [
    { tenant: "meridian", gpus: 1, estimatedRuntime: "1h" },
    { tenant: "meridain", gpus: 1, estimatedRuntime: "1h" },
  ],
  "jobs.yaml",
  { nowMs: 0 },
);

describe("checkJobTenants", () => {
  it("rejects a job whose tenant the policy does not define, at the job's path in its file", () => {
    const err = catchInputError(() => checkJobTenants(jobs, policy, "jobs.yaml"));
    expect(err.source).toBe("jobs.yaml");
    expect(issueLines(err)).toEqual(["jobs[1].tenant: unknown tenant 'meridain' (known: meridian, falcon)"]);
  });

  it("accepts jobs whose tenants all exist", () => {
    expect(() => checkJobTenants(jobs.slice(0, 1), policy, "jobs.yaml")).not.toThrow();
  });
});
