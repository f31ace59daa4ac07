// The example files users copy must agree with each other, not only parse on their own.
import { describe, expect, it } from "vitest";
import { checkOperatorTenants } from "../src/facility/check-operator-tenants.ts";
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { checkJobTenants } from "../src/queue/check-job-tenants.ts";
import { loadJobsFile } from "../src/queue/load-jobs-file.ts";
import { compileFacility } from "../src/scheduler/compile-facility.ts";
import { schedule } from "../src/scheduler/schedule.ts";

const facility = loadFacilityFile("facilities/stargate-norway.yaml");
const policy = loadPolicyFile("policies/default.yaml");
const jobs = loadJobsFile("workloads/demo-jobs.yaml", { nowMs: Date.parse("2026-12-01T12:00:00Z") });

describe("example inputs", () => {
  it("name only tenants the default policy defines", () => {
    expect(() => checkOperatorTenants(facility, policy, "facilities/stargate-norway.yaml")).not.toThrow();
    expect(() => checkJobTenants(jobs, policy, "workloads/demo-jobs.yaml")).not.toThrow();
  });

  it("let every demo job run except those labelled as kept out, which get a never-runs reason", () => {
    const d = schedule({
      facility: compileFacility(facility),
      policy,
      queue: jobs,
      running: [],
      usage: [],
      nowMs: Date.parse("2026-12-01T12:00:00Z"),
    });
    const never = new Set(["no-eligible-site", "too-large", "too-few-nodes", "unknown-tenant"]);
    const keptOut = jobs.filter((j) => j.labels.demo === "kept-out").map((j) => j.id);
    expect(keptOut.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const w = d.waiting.find((x) => x.jobId === job.id);
      const refused = w !== undefined && (never.has(w.reason.kind) || w.estimatedStartAtMs === null);
      expect(refused, job.id).toBe(keptOut.includes(job.id));
    }
  });

  it("cover every tier with demo jobs", () => {
    const tierOf = new Map(policy.tenants.map((t) => [t.id, t.tierId]));
    expect(new Set(jobs.map((j) => tierOf.get(j.tenantId)))).toEqual(new Set(policy.tiers.map((t) => t.id)));
  });
});
