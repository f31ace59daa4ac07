import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility, GB300, H100, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { Job } from "../model/types.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { type AuditedJob, checkRun } from "./check-run.ts";
import { simulate } from "./simulate.ts";

const S = 1000;
// Two Norwegian sites of different GPU models and one in Sweden, so model and residency constraints bite.
const fac = facility(
  { id: "no", racks: 2, nodesPerRack: 2 },
  { id: "nh", racks: 1, nodesPerRack: 2, nodeType: H100 },
  { id: "se", racks: 1, nodesPerRack: 2, jurisdictions: ["SE", "EEA"] },
);
const compiled = compileFacility(fac);
const pol = policy(
  [tier("national", 8), tier("commercial", 0)],
  [tenant("a", "national"), tenant("b", "commercial")],
);

/** A simulation's jobs as results.json records them. */
function audited(workload: Job[], seed = 1): AuditedJob[] {
  const result = simulate({
    facility: compiled,
    policy: pol,
    workload: workload.map((j) => ({ job: j, runtimeS: j.estimatedRuntimeS })),
    seed,
  });
  return result.jobs.map((j) => ({ ...j, runs: j.runs.map((r) => ({ ...r, nodes: r.nodes })) }));
}

const messages = (jobs: AuditedJob[], workload: Job[]) =>
  checkRun(jobs, fac, workload).map((v) => `${v.path.join(".")}: ${v.message}`);

const jobArb = fc.record({
  tenant: fc.constantFrom("a", "b"),
  gang: fc.boolean(),
  gpus: fc.integer({ min: 1, max: 8 }),
  nodes: fc.integer({ min: 1, max: 2 }),
  gpusPerNode: fc.integer({ min: 1, max: 4 }),
  model: fc.constantFrom(null, [GB300.gpuModel], [H100.gpuModel]),
  residency: fc.constantFrom(null, ["NO"], ["SE"]),
  submitS: fc.integer({ min: 0, max: 20_000 }),
  runtimeS: fc.integer({ min: 60, max: 7200 }),
  priority: fc.integer({ min: 0, max: 3 }),
});

describe("checkRun", () => {
  it("finds nothing wrong in what the simulator ran, for any workload", () => {
    fc.assert(
      fc.property(fc.array(jobArb, { maxLength: 40 }), (specs) => {
        const workload = specs.map((s) =>
          job(s.tenant, {
            ...(s.gang ? { nodes: s.nodes, gpusPerNode: s.gpusPerNode } : { gpus: s.gpus }),
            gpuModels: s.model === null ? null : [...s.model],
            residency: s.residency === null ? null : [...s.residency],
            submittedAtMs: T0 + s.submitS * S,
            estimatedRuntimeS: s.runtimeS,
            limitS: s.runtimeS,
            priority: s.priority,
          }),
        );
        expect(messages(audited(workload), workload)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  const a = job("a", { gpus: 4, submittedAtMs: T0, estimatedRuntimeS: 3600, residency: ["NO"] });
  const b = job("a", { gpus: 4, submittedAtMs: T0 + 10 * S, estimatedRuntimeS: 3600, residency: ["NO"] });
  const g = job("b", { nodes: 2, gpusPerNode: 4, submittedAtMs: T0, gpuModels: [H100.gpuModel] });
  const workload = [a, b, g];
  const ran = () => audited(workload);
  const of = (jobs: AuditedJob[], id: string) => jobs.find((j) => j.jobId === id)!;
  const indexOf = (jobs: AuditedJob[], id: string) => jobs.findIndex((j) => j.jobId === id);

  it("passes the simulated run it starts from", () => {
    const jobs = ran();
    expect(jobs.every((j) => j.runs.length === 1)).toBe(true);
    expect(messages(jobs, workload)).toEqual([]);
  });

  it("names a GPU held by two jobs at once", () => {
    const jobs = ran();
    const [ra, rb] = [of(jobs, a.id).runs[0]!, of(jobs, b.id).runs[0]!];
    // b moves onto a's GPUs while a still runs.
    rb.siteId = ra.siteId;
    rb.nodes = ra.nodes.map((n) => ({ ...n, gpus: [...n.gpus] }));
    rb.startAtMs = ra.startAtMs + 10 * S;
    rb.endAtMs = rb.startAtMs + 3600 * S;
    const found = messages(jobs, workload);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((m) => m.includes("is over-committed") && m.includes(a.id) && m.includes(b.id))).toBe(
      true,
    );
  });

  it("names a run that starts before its job was submitted", () => {
    const jobs = ran();
    const rb = of(jobs, b.id).runs[0]!;
    rb.startAtMs = b.submittedAtMs - 5 * S;
    expect(messages(jobs, workload)).toContain(
      `jobs.${indexOf(jobs, b.id)}.runs.0.startAtMs: starts at 2026-12-01T00:00:05.000Z, before the job's submission at 2026-12-01T00:00:10.000Z`,
    );
  });

  it("names a run moved out of its job's residency, and onto a GPU model it may not use", () => {
    const jobs = ran();
    const ra = of(jobs, a.id).runs[0]!;
    ra.siteId = "se";
    ra.nodes = [{ nodeId: "se/r0n0", gpuModel: GB300.gpuModel, gpus: [0, 1, 2, 3] }];
    const rg = of(jobs, g.id).runs[0]!;
    rg.siteId = "no";
    rg.nodes = [
      { nodeId: "no/r1n0", gpuModel: GB300.gpuModel, gpus: [0, 1, 2, 3] },
      { nodeId: "no/r1n1", gpuModel: GB300.gpuModel, gpus: [0, 1, 2, 3] },
    ];
    const found = messages(jobs, workload);
    expect(found).toContain(
      `jobs.${indexOf(jobs, a.id)}.runs.0.siteId: site se (SE, EEA) is outside the job's residency NO`,
    );
    expect(found).toContain(
      `jobs.${indexOf(jobs, g.id)}.runs.0.nodes.0.gpuModel: GB300 is not one of the job's GPU models (H100)`,
    );
  });

  it("names a wrong gang shape, a GPU the node does not have, and a node in another site", () => {
    const jobs = ran();
    const rg = of(jobs, g.id).runs[0]!;
    const gangNode = rg.nodes[0]!.nodeId;
    rg.nodes = [{ ...rg.nodes[0]!, gpus: [0, 1, 2, 9] }];
    const ra = of(jobs, a.id).runs[0]!;
    ra.nodes = [{ nodeId: "se/r0n1", gpuModel: GB300.gpuModel, gpus: [0, 1, 2, 3] }];
    const found = messages(jobs, workload);
    const gi = indexOf(jobs, g.id);
    expect(found).toContain(`jobs.${gi}.runs.0.nodes: holds 4 GPUs on 1 nodes; the job is a gang of 2 × 4`);
    expect(found).toContain(
      `jobs.${gi}.runs.0.nodes.0.gpus.3: GPU 9 does not exist on node ${gangNode} (8 GPUs)`,
    );
    expect(found).toContain(
      `jobs.${indexOf(jobs, a.id)}.runs.0.nodes.0.nodeId: node se/r0n1 is in site se, not no`,
    );
  });

  it("names a job the workload does not have, and a submission time that is not the workload's", () => {
    const jobs = ran();
    of(jobs, a.id).submittedAtMs = T0 - 60 * S;
    jobs.push({ jobId: "ghost", tenantId: "a", submittedAtMs: T0, runs: [] });
    const found = messages(jobs, workload);
    expect(found).toContain(
      `jobs.${indexOf(jobs, a.id)}.submittedAtMs: is 2026-11-30T23:59:00.000Z, but the workload submits ${a.id} at 2026-12-01T00:00:00.000Z`,
    );
    expect(found).toContain(`jobs.${jobs.length - 1}.jobId: job ghost is not in the workload`);
  });
});
