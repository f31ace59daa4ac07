import { describe, expect, it } from "vitest";
import { decide, facility, H100, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import type { Decisions } from "./decisions.ts";

const onePolicy = policy([tier("national", 1000)], [tenant("a", "national"), tenant("b", "national")]);
const started = (d: Decisions, id: string) => d.start.find((s) => s.jobId === id);
const waiting = (d: Decisions, id: string) => d.waiting.find((w) => w.jobId === id);
const domainsOf = (d: Decisions, id: string) =>
  new Set(started(d, id)!.allocation.nodes.map((n) => n.nodeId.replace(/n\d+$/, "")));

describe("topology-aware gang placement", () => {
  it("keeps a gang that fits one NVLink domain inside one domain", () => {
    const f = facility({ id: "no", racks: 2, nodesPerRack: 4 });
    const j = job("a", { nodes: 3, gpusPerNode: 4 });
    const d = decide(f, onePolicy, [j]);
    expect(started(d, j.id)!.allocation.nodes).toHaveLength(3);
    expect(domainsOf(d, j.id).size).toBe(1);
  });

  it("chooses the domain that leaves the least fragmentation", () => {
    const f = facility({ id: "no", racks: 2, nodesPerRack: 4 });
    const busy = job("b", { nodes: 2, gpusPerNode: 4, limitS: 7200, estimatedRuntimeS: 7200 });
    const r = running(busy, T0 - 1000, "no", [
      ["no/r1n0", [0, 1, 2, 3]],
      ["no/r1n1", [0, 1, 2, 3]],
    ]);
    const j = job("a", { nodes: 2, gpusPerNode: 4 });
    const d = decide(f, onePolicy, [j], [r]);
    expect([...domainsOf(d, j.id)]).toEqual(["no/r1"]);
  });

  it("waits rather than split a gang that fits one NVLink domain across domains", () => {
    const f = facility({ id: "no", racks: 2, nodesPerRack: 4 });
    const held = [0, 1].map((r) =>
      running(job("b", { nodes: 2, gpusPerNode: 4 }), T0, "no", [
        [`no/r${r}n0`, [0, 1, 2, 3]],
        [`no/r${r}n1`, [0, 1, 2, 3]],
      ]),
    );
    const j = job("a", { nodes: 3, gpusPerNode: 4 });
    const d = decide(f, onePolicy, [j], held);
    expect(started(d, j.id)).toBeUndefined();
    expect(waiting(d, j.id)!.reason).toMatchObject({ kind: "reserved" });
    expect(waiting(d, j.id)!.estimatedStartAtMs).toBe(T0 + 3600_000);
  });

  it("counts nodes as well as GPUs: a gang of partial nodes too many for a domain goes to a block", () => {
    // Domains of 2 nodes × 4 GPUs (8 GPUs). A 4 × 2 gang asks for 8 GPUs but needs 4 nodes.
    const f = facility({ id: "no", racks: 2, nodesPerRack: 2, racksPerBlock: 2 });
    const j = job("a", { nodes: 4, gpusPerNode: 2 });
    const d = decide(f, onePolicy, [j]);
    expect(started(d, j.id)!.allocation.nodes).toHaveLength(4);
    expect(domainsOf(d, j.id).size).toBe(2);
  });

  it("keeps a gang larger than a domain inside one network block", () => {
    const f = facility({ id: "no", racks: 4, nodesPerRack: 2, racksPerBlock: 2 });
    const held = running(job("b", { gpus: 4 }), T0, "no", [["no/r0n0", [0, 1, 2, 3]]]);
    const j = job("a", { nodes: 4, gpusPerNode: 4 });
    const d = decide(f, onePolicy, [j], [held]);
    const nodes = started(d, j.id)!.allocation.nodes.map((n) => n.nodeId);
    expect(nodes.sort()).toEqual(["no/r2n0", "no/r2n1", "no/r3n0", "no/r3n1"]);
  });

  it("packs a small GPU-count job onto the fullest node that holds it", () => {
    const f = facility({ id: "no", racks: 1, nodesPerRack: 2 });
    const held = running(job("b", { gpus: 2 }), T0, "no", [["no/r0n1", [0, 1]]]);
    const j = job("a", { gpus: 2 });
    const d = decide(f, onePolicy, [j], [held]);
    expect(started(d, j.id)!.allocation.nodes).toEqual([{ nodeId: "no/r0n1", gpus: [2, 3] }]);
  });
});

describe("residency, latency and ownership", () => {
  const f = facility(
    {
      id: "no",
      racks: 1,
      nodesPerRack: 1,
      jurisdictions: ["NO", "EEA"],
      latencyMs: { nordics: 10, gulf: 90 },
    },
    {
      id: "ae",
      racks: 1,
      nodesPerRack: 4,
      jurisdictions: ["AE", "GCC"],
      latencyMs: { nordics: 80, gulf: 5 },
    },
  );

  it("never places a job outside the jurisdictions its residency rule allows", () => {
    const first = job("a", { gpus: 4, residency: ["EEA"] });
    const second = job("a", { gpus: 4, residency: ["EEA"] });
    const d = decide(f, onePolicy, [first, second]);
    expect(started(d, first.id)!.allocation.siteId).toBe("no");
    expect(started(d, second.id)).toBeUndefined();
  });

  it("never places a job beyond its latency bound", () => {
    const j = job("a", { gpus: 4, maxLatency: { region: "gulf", ms: 20 } });
    const d = decide(f, onePolicy, [job("b", { gpus: 4, residency: ["EEA"] }), j]);
    expect(started(d, j.id)!.allocation.siteId).toBe("ae");
  });

  it("explains a job no site may ever take", () => {
    const j = job("a", { gpus: 4, residency: ["EU"] });
    const d = decide(f, onePolicy, [j]);
    expect(waiting(d, j.id)!.reason).toMatchObject({ kind: "no-eligible-site" });
    expect(waiting(d, j.id)!.estimatedStartAtMs).toBeNull();
  });

  it("runs a tenant's job on its own site first and keeps other tenants off it", () => {
    const hybrid = facility(
      { id: "no", racks: 1, nodesPerRack: 1 },
      { id: "own", racks: 1, nodesPerRack: 1, owner: "a", nodeType: H100, nvlink: "node" },
    );
    const mine = job("a", { gpus: 8 });
    const theirs = job("b", { gpus: 8 });
    const d = decide(hybrid, onePolicy, [mine, theirs]);
    expect(started(d, mine.id)!.allocation.siteId).toBe("own");
    expect(started(d, theirs.id)).toBeUndefined();
  });
});
