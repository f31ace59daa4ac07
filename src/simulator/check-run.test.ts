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
  return result.jobs.map((j) => ({
    ...j,
    runs: j.runs.map((r) => ({
      ...r,
      wholeNodes: r.wholeNodes.map((range) => ({ ...range })),
      partNodes: r.partNodes.map((n) => ({ ...n, gpus: [...n.gpus] })),
    })),
  }));
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
    // b moves onto a's whole node while a still runs.
    rb.siteId = ra.siteId;
    rb.wholeNodes = ra.wholeNodes.map((range) => ({ ...range }));
    rb.partNodes = [];
    rb.startAtMs = ra.startAtMs + 10 * S;
    rb.endAtMs = rb.startAtMs + 3600 * S;
    const node = ra.wholeNodes[0]!.first;
    expect(messages(jobs, workload)).toContain(
      `jobs.${indexOf(jobs, b.id)}.runs.0.wholeNodes.0: GPU ${node} #0 is over-committed: held by ${b.id} from 2026-12-01T00:00:10.000Z while ${a.id} holds it until 2026-12-01T01:00:00.000Z`,
    );
  });

  it("names a range of whole nodes over GPUs another run lists one by one, whichever starts first", () => {
    const w = job("a", { nodes: 2, gpusPerNode: 4, submittedAtMs: T0, estimatedRuntimeS: 3600 });
    const p = job("a", { gpus: 2, submittedAtMs: T0, estimatedRuntimeS: 600 });
    const run = (
      startS: number,
      endS: number,
      nodes: Pick<AuditedJob["runs"][number], "wholeNodes" | "partNodes">,
    ) => ({
      startAtMs: T0 + startS * S,
      endAtMs: T0 + endS * S,
      siteId: "no",
      gpuModel: GB300.gpuModel,
      end: "completed" as const,
      ...nodes,
    });
    const range = { wholeNodes: [{ first: "no/r0n1", count: 2 }], partNodes: [] };
    const part = { wholeNodes: [], partNodes: [{ nodeId: "no/r1n0", gpus: [2, 3] }] };
    const record = (wStartS: number, pStartS: number): AuditedJob[] => [
      { jobId: w.id, tenantId: "a", submittedAtMs: T0, runs: [run(wStartS, wStartS + 3600, range)] },
      { jobId: p.id, tenantId: "a", submittedAtMs: T0, runs: [run(pStartS, pStartS + 600, part)] },
    ];
    expect(messages(record(0, 60), [w, p])).toEqual(
      [2, 3].map(
        (gpu, g) =>
          `jobs.1.runs.0.partNodes.0.gpus.${g}: GPU no/r1n0 #${gpu} is over-committed: held by ${p.id} from 2026-12-01T00:01:00.000Z while ${w.id} holds it until 2026-12-01T01:00:00.000Z`,
      ),
    );
    expect(messages(record(60, 0), [w, p])).toEqual(
      [2, 3].map(
        (gpu) =>
          `jobs.0.runs.0.wholeNodes.0: GPU no/r1n0 #${gpu} is over-committed: held by ${w.id} from 2026-12-01T00:01:00.000Z while ${p.id} holds it until 2026-12-01T00:10:00.000Z`,
      ),
    );
    expect(messages(record(0, 3600), [w, p])).toEqual([]);
  });

  it("names a malformed range: from an unknown node, of no nodes, past the facility's last node", () => {
    const jobs = ran();
    const ai = indexOf(jobs, a.id);
    const ra = of(jobs, a.id).runs[0]!;
    ra.wholeNodes = [
      { first: "no/r7n7", count: 1 },
      { first: "no/r0n0", count: 0 },
      { first: "se/r0n1", count: 2 },
    ];
    ra.partNodes = [];
    expect(messages(jobs, workload)).toEqual([
      `jobs.${ai}.runs.0.wholeNodes.0.first: unknown node no/r7n7`,
      `jobs.${ai}.runs.0.wholeNodes.1.count: is 0; a range holds 1 node or more`,
      `jobs.${ai}.runs.0.wholeNodes.2.count: 2 nodes from se/r0n1 run past the facility's last node (1 from it to the end)`,
      `jobs.${ai}.runs.0: holds 0 GPUs; the job asks for 4`,
    ]);
  });

  it("names nodes whose GPU model is not the run's", () => {
    const jobs = ran();
    const rg = of(jobs, g.id).runs[0]!;
    rg.gpuModel = GB300.gpuModel;
    const gi = indexOf(jobs, g.id);
    const found = messages(jobs, workload);
    expect(found).toContain(`jobs.${gi}.runs.0.gpuModel: GB300 is not one of the job's GPU models (H100)`);
    expect(found).toContain(
      `jobs.${gi}.runs.0.partNodes.0: node ${rg.partNodes[0]!.nodeId} has H100, not the run's GB300`,
    );
  });

  it("names a GPU-count job spread over nodes one node could hold, and a job out of the domain it asked for", () => {
    // Racks of two 4-GPU GB300 trays, each rack one NVLink domain; a's 4-GPU job fits one tray.
    const run = (nodes: { nodeId: string; gpus: number[] }[]) => ({
      startAtMs: T0,
      endAtMs: T0 + 600 * S,
      siteId: "no",
      gpuModel: GB300.gpuModel,
      end: "completed" as const,
      wholeNodes: [],
      partNodes: nodes,
    });
    const record = (j: Job, nodes: { nodeId: string; gpus: number[] }[]): AuditedJob[] => [
      { jobId: j.id, tenantId: j.tenantId, submittedAtMs: j.submittedAtMs, runs: [run(nodes)] },
    ];
    const four = job("a", { gpus: 4, submittedAtMs: T0, gpuModels: [GB300.gpuModel] });
    expect(
      messages(
        record(four, [
          { nodeId: "no/r0n0", gpus: [0, 1] },
          { nodeId: "no/r0n1", gpus: [0, 1] },
        ]),
        [four],
      ),
    ).toEqual(["jobs.0.runs.0: runs on 2 nodes; one of its 4-GPU nodes holds the job's 4 GPUs"]);
    // 8 GPUs fit one 8-GPU H100 node the job may also use: on GB300 trays, only within one rack.
    const eight = job("a", { gpus: 8, submittedAtMs: T0 });
    const trays = (racks: number[]) => racks.map((r, k) => ({ nodeId: `no/r${r}n${k}`, gpus: [0, 1, 2, 3] }));
    expect(messages(record(eight, trays([0, 0])), [eight])).toEqual([]);
    expect(messages(record(eight, trays([0, 1])), [eight])).toEqual([
      "jobs.0.runs.0: runs on 2 nodes in 2 NVLink domains; a 8-GPU job that one allowed 8-GPU node holds runs on one node or within one NVLink domain",
    ]);
    const gang = job("a", { nodes: 2, gpusPerNode: 4, topology: "nvlink-domain", submittedAtMs: T0 });
    expect(messages(record(gang, trays([0, 1])), [gang])).toEqual([
      "jobs.0.runs.0: runs in 2 NVLink domains; the job asks for one",
    ]);
    // The FIFO baseline leaves own sites idle: there a job's largest allowed node is found without them.
    const hybrid = facility(
      { id: "no", racks: 2, nodesPerRack: 2 },
      { id: "own", racks: 1, nodesPerRack: 1, owner: "a", nodeType: H100, nvlink: "node" },
    );
    const spread = record(eight, trays([0, 1]));
    expect(checkRun(spread, hybrid, [eight], { ownSitesServe: true })).toHaveLength(1);
    expect(checkRun(spread, hybrid, [eight], { ownSitesServe: false })).toEqual([]);
  });

  it("lets shares of a GPU add up to one GPU, and names a GPU shared past that or while held whole", () => {
    const sharedType = { ...GB300, id: "gb300-shared", gpuSharing: true };
    const shared = facility({ id: "no", racks: 1, nodesPerRack: 2, nodeType: sharedType, nvlink: "node" });
    const share = (gpuMilli: number) => ({
      ...job("a", { submittedAtMs: T0 }),
      shape: { kind: "share" as const, gpuMilli },
    });
    const whole = job("a", { gpus: 1, submittedAtMs: T0 });
    const jobs = [share(600), share(400), share(300), whole];
    const run = (gpuMilli: number | undefined, startS: number) => ({
      startAtMs: T0 + startS * S,
      endAtMs: T0 + (startS + 600) * S,
      siteId: "no",
      gpuModel: GB300.gpuModel,
      end: "completed" as const,
      wholeNodes: [],
      partNodes: [
        gpuMilli === undefined
          ? { nodeId: "no/r0n0", gpus: [1] }
          : { nodeId: "no/r0n0", gpus: [1], gpuMilli },
      ],
    });
    const record = (starts: number[]): AuditedJob[] =>
      jobs.map((j, k) => ({
        jobId: j.id,
        tenantId: "a",
        submittedAtMs: T0,
        runs: [run(j.shape.kind === "share" ? j.shape.gpuMilli : undefined, starts[k]!)],
      }));
    const check = (starts: number[]) =>
      checkRun(record(starts), shared, jobs).map((v) => `${v.path.join(".")}: ${v.message}`);
    // 600 + 400 fill the GPU; the 300 share comes when the 600 one ends, the whole GPU after all of them.
    expect(check([0, 0, 600, 1200])).toEqual([]);
    expect(check([0, 0, 300, 1200])).toEqual([
      `jobs.2.runs.0.partNodes.0.gpus.0: GPU no/r0n0 #1 is over-committed: from 2026-12-01T00:05:00.000Z its shares add up to 1300/1000 (${jobs[0]!.id}, ${jobs[1]!.id}, ${jobs[2]!.id})`,
    ]);
    expect(check([0, 0, 600, 900])).toEqual([
      `jobs.3.runs.0.partNodes.0.gpus.0: GPU no/r0n0 #1 is over-committed: held by ${whole.id} from 2026-12-01T00:15:00.000Z while ${jobs[2]!.id} holds it until 2026-12-01T00:20:00.000Z`,
    ]);
    // The same record against GPUs that are not shared.
    const unshared = facility({ id: "no", racks: 1, nodesPerRack: 2, nvlink: "node" });
    expect(checkRun(record([0, 0, 600, 1200]), unshared, jobs).map((v) => v.message)).toEqual(
      [0, 1, 2].map(
        () => "node no/r0n0: its GB300 GPUs are not shared (gpuSharing), yet it holds a share of one",
      ),
    );
    // A whole-GPU job recorded as a share of the GPU the shares use.
    const gang = job("a", { nodes: 1, gpusPerNode: 1, submittedAtMs: T0 });
    const asShare = [
      ...record([0, 0, 600, 1200]).slice(0, 3),
      {
        jobId: gang.id,
        tenantId: "a",
        submittedAtMs: T0,
        runs: [run(1, 600)],
      },
    ];
    expect(checkRun(asShare, shared, [...jobs.slice(0, 3), gang]).map((v) => v.message)).toEqual([
      "holds a share of a GPU; the job asks for whole GPUs",
    ]);
    // A share recorded with another size than its job asked for.
    const wrong = record([0, 0, 600, 1200]);
    wrong[0]!.runs[0]!.partNodes[0]!.gpuMilli = 500;
    expect(checkRun(wrong, shared, jobs).map((v) => v.message)).toEqual([
      "holds 500/1000 of a GPU; the job asks for 600/1000 of one GPU",
    ]);
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
    ra.wholeNodes = [{ first: "se/r0n0", count: 1 }];
    const rg = of(jobs, g.id).runs[0]!;
    rg.siteId = "no";
    rg.gpuModel = GB300.gpuModel;
    rg.wholeNodes = [{ first: "no/r1n0", count: 2 }];
    rg.partNodes = [];
    const found = messages(jobs, workload);
    expect(found).toContain(
      `jobs.${indexOf(jobs, a.id)}.runs.0.siteId: site se (SE, EEA) is outside the job's residency NO`,
    );
    expect(found).toContain(
      `jobs.${indexOf(jobs, g.id)}.runs.0.gpuModel: GB300 is not one of the job's GPU models (H100)`,
    );
  });

  it("names a wrong gang shape, a GPU the node does not have, and a node in another site", () => {
    const jobs = ran();
    const rg = of(jobs, g.id).runs[0]!;
    const gangNode = rg.partNodes[0]!.nodeId;
    rg.partNodes = [{ nodeId: gangNode, gpus: [0, 1, 2, 9] }];
    const ra = of(jobs, a.id).runs[0]!;
    ra.wholeNodes = [{ first: "se/r0n1", count: 1 }];
    const found = messages(jobs, workload);
    const gi = indexOf(jobs, g.id);
    expect(found).toContain(`jobs.${gi}.runs.0: holds 4 GPUs on 1 nodes; the job is a gang of 2 × 4`);
    expect(found).toContain(
      `jobs.${gi}.runs.0.partNodes.0.gpus.3: GPU 9 does not exist on node ${gangNode} (8 GPUs)`,
    );
    expect(found).toContain(
      `jobs.${indexOf(jobs, a.id)}.runs.0.wholeNodes.0: node se/r0n1 is in site se, not no`,
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
