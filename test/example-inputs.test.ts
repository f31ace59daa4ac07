// The example files users copy must agree with each other, not only parse on their own.
import { describe, expect, it } from "vitest";
import { checkOperatorTenants } from "../src/facility/check-operator-tenants.ts";
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { checkJobTenants } from "../src/queue/check-job-tenants.ts";
import { loadJobsFile } from "../src/queue/load-jobs-file.ts";

const facility = loadFacilityFile("facilities/stargate-norway.yaml");
const policy = loadPolicyFile("policies/default.yaml");
const jobs = loadJobsFile("workloads/demo-jobs.yaml", { nowMs: Date.parse("2026-12-01T12:00:00Z") });

describe("example inputs", () => {
  it("name only tenants the default policy defines", () => {
    expect(() => checkOperatorTenants(facility, policy, "facilities/stargate-norway.yaml")).not.toThrow();
    expect(() => checkJobTenants(jobs, policy, "workloads/demo-jobs.yaml")).not.toThrow();
  });

  it("give every demo job at least one site with its GPU model, residency and latency bound", () => {
    const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
    const modelsAt = new Map(
      facility.sites.map((s) => [
        s.id,
        new Set(
          facility.nodes.filter((n) => n.siteId === s.id).map((n) => types.get(n.nodeTypeId)!.gpuModel),
        ),
      ]),
    );
    for (const job of jobs) {
      const fits = facility.sites.filter(
        (site) =>
          (job.gpuModels === null || job.gpuModels.some((m) => modelsAt.get(site.id)!.has(m))) &&
          (job.residency === null || job.residency.some((r) => site.jurisdictions.includes(r))) &&
          (job.maxLatency === null ||
            (site.latencyMs[job.maxLatency.region] ?? Number.POSITIVE_INFINITY) <= job.maxLatency.ms),
      );
      expect(fits.length, job.id).toBeGreaterThan(0);
    }
  });

  it("cover every tier with demo jobs", () => {
    const tierOf = new Map(policy.tenants.map((t) => [t.id, t.tierId]));
    expect(new Set(jobs.map((j) => tierOf.get(j.tenantId)))).toEqual(new Set(policy.tiers.map((t) => t.id)));
  });
});
