import { describe, expect, it } from "vitest";
import { facility, GB300, H100, job, policy, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { AdmissionChecker } from "./admission-check.ts";

// Two facility sites (GB300 in Norway, H100 in the Gulf) and a GB300 site owned by tenant "owner".
const cf = compileFacility(
  facility(
    { id: "no", racks: 4, nodesPerRack: 2, nodeType: GB300 },
    { id: "ae", racks: 2, nodesPerRack: 2, jurisdictions: ["AE", "GCC"], nodeType: H100, nvlink: "node" },
    { id: "own", racks: 2, nodesPerRack: 2, nodeType: GB300, owner: "owner" },
  ),
);
const checker = new AdmissionChecker(
  cf,
  policy(
    [tier("t", 16)],
    [tenant("small", "t", { quotaGpus: 8 }), tenant("owner", "t", { quotaGpus: 4 }), tenant("free", "t")],
  ),
);

describe("admission at submission", () => {
  it.each([
    ["a GPU count", { gpus: 12 }, "gpus"],
    ["a gang", { nodes: 3, gpusPerNode: 4 }, "nodes"],
  ])("refuses %s larger than the tenant's whole quota, naming the quota", (_, size, field) => {
    expect(checker.check(job("small", size))).toEqual({
      ok: false,
      field,
      reason: "never runs: needs 12 GPUs, more than tenant small's quota of 8",
    });
  });

  it("refuses a job larger than its tier may ever hold (guarantee + borrowing limit), naming the tier", () => {
    const capped = new AdmissionChecker(
      cf,
      policy([tier("t", 8, { borrowingLimit: { gpus: 4 } })], [tenant("free", "t")]),
    );
    expect(capped.check(job("free", { gpus: 16 }))).toEqual({
      ok: false,
      field: "gpus",
      reason: "never runs: needs 16 GPUs, more than tier t may ever hold (8 guaranteed + 4 borrowed)",
    });
    expect(capped.check(job("free", { gpus: 12 }))).toEqual({ ok: true });
  });

  it("takes a job within the quota, one of a tenant without quota, and one a tenant's own site may run", () => {
    expect(checker.check(job("small", { gpus: 8 }))).toEqual({ ok: true });
    expect(checker.check(job("free", { gpus: 16 }))).toEqual({ ok: true });
    expect(checker.check(job("owner", { gpus: 8 }))).toEqual({ ok: true });
  });

  it.each([
    ["a model in the wrong case", ["gb300"], "did you mean GB300? the allowed sites have GB300, H100"],
    ["a misspelt model", ["H10"], "did you mean H100? the allowed sites have GB300, H100"],
    [
      "two unknown models",
      ["gb300", "h100"],
      "did you mean GB300 or H100? the allowed sites have GB300, H100",
    ],
  ])("suggests the nearest model for %s and lists the allowed sites' models", (_, gpuModels, hint) => {
    const outcome = checker.check(job("small", { gpuModels }));
    expect(outcome).toMatchObject({ ok: false, field: "gpuModel" });
    expect(outcome.ok || outcome.reason.endsWith(`; ${hint}`)).toBe(true);
  });

  it("lists only the models of the sites the job may use, and guesses no model that is far off", () => {
    const outcome = checker.check(job("small", { gpuModels: ["h100"], residency: ["EEA"] }));
    expect(outcome).toMatchObject({ ok: false, field: "gpuModel" });
    expect(outcome.ok || outcome.reason.endsWith("; the allowed sites have GB300")).toBe(true);
  });
});
