import { describe, expect, it } from "vitest";
import { facility, policy, T0, tenant, tier } from "../../test/support/build.ts";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import { totalGpus } from "../model/job-shape.ts";
import type { Job, Tenant } from "../model/types.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import { compileFacility } from "../scheduler/compile-facility.ts";
import { mulberry32 } from "./prng.ts";
import { DEFAULT_LATENCY_REGIONS, syntheticQueue, syntheticRunning } from "./synthetic-queue.ts";

const tenants: Tenant[] = [tenant("a", "t0"), tenant("b", "t0"), tenant("c", "t1")];
const gen = (seed: number, count = 2000): Job[] =>
  syntheticQueue({ seed, count, tenants, nowMs: T0, gpuModels: ["GB300", "H100"] });
const gpusOf = (j: Job) => totalGpus(j.shape);

describe("mulberry32", () => {
  it("repeats for a seed and stays in range", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(b.next()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const r = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });
});

describe("syntheticQueue", () => {
  it("is deterministic: same seed, same jobs; another seed, other jobs", () => {
    expect(gen(1)).toEqual(gen(1));
    expect(gen(2)).not.toEqual(gen(1));
  });

  it("produces valid jobs with unique ids", () => {
    const jobs = gen(3, 5000);
    expect(jobs).toHaveLength(5000);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    for (const j of jobs) {
      expect(gpusOf(j)).toBeGreaterThan(0);
      if (j.shape.kind === "gang") {
        expect(j.shape.gpusPerNode).toBe(4);
        expect(j.shape.nodes).toBeGreaterThanOrEqual(2);
        expect(j.shape.nodes).toBeLessThanOrEqual(1024);
        expect(j.gpuModels).toEqual(["GB300"]);
      } else {
        expect(j.shape.kind).toBe("gpus");
        expect(gpusOf(j)).toBeLessThanOrEqual(8);
      }
      expect(Number.isInteger(j.estimatedRuntimeS) && j.estimatedRuntimeS >= 300).toBe(true);
      expect(j.estimatedRuntimeS).toBeLessThanOrEqual(7 * 86_400);
      expect(j.limitS).toBeGreaterThanOrEqual(j.estimatedRuntimeS * 1.2 - 1e-9);
      expect(j.limitS).toBeLessThanOrEqual(j.estimatedRuntimeS * 2 + 60);
      expect([0, 1, 2, 3]).toContain(j.priority);
      expect(j.submittedAtMs).toBeLessThanOrEqual(T0);
      expect(j.submittedAtMs).toBeGreaterThanOrEqual(T0 - 86_400_000);
      if (j.checkpointIntervalS !== null) expect(j.checkpointIntervalS).toBeGreaterThan(0);
      if (j.notBeforeAtMs !== null) expect(j.notBeforeAtMs).toBeGreaterThan(T0);
      if (j.maxLatency) expect(DEFAULT_LATENCY_REGIONS).toContain(j.maxLatency.region);
      expect(tenants.map((t) => t.id)).toContain(j.tenantId);
    }
  });

  it("has a heavy-tailed size mix from 1 to 4,096 GPUs", () => {
    const jobs = gen(4, 20_000);
    const sizes = jobs.map(gpusOf);
    const share = (p: (g: number) => boolean) => sizes.filter(p).length / sizes.length;
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(2048);
    expect(share((g) => g <= 8)).toBeGreaterThan(0.65);
    const big = share((g) => g >= 512);
    expect(big).toBeGreaterThan(0.02);
    expect(big).toBeLessThan(0.07);
  });

  it("mixes residency, tenants, latency bounds and checkpointing as described", () => {
    const jobs = gen(5, 20_000);
    const share = (p: (j: Job) => boolean) => jobs.filter(p).length / jobs.length;
    expect(share((j) => j.residency?.join() === "EEA")).toBeCloseTo(0.5, 1);
    expect(share((j) => j.residency?.join() === "NO")).toBeGreaterThan(0.05);
    expect(share((j) => j.residency?.join() === "GCC")).toBeGreaterThan(0.03);
    expect(share((j) => j.residency === null)).toBeGreaterThan(0.2);
    expect(share((j) => j.maxLatency !== null)).toBeGreaterThan(0.01);
    expect(new Set(jobs.map((j) => j.tenantId)).size).toBe(tenants.length);
    const big = jobs.filter((j) => gpusOf(j) >= 64);
    expect(big.filter((j) => j.checkpointIntervalS !== null).length / big.length).toBeGreaterThan(0.8);
  });

  it("names only latency regions the default facility knows", () => {
    const f = loadFacilityFile("facilities/stargate-norway.yaml");
    for (const region of DEFAULT_LATENCY_REGIONS)
      expect(f.sites.some((s) => s.latencyMs[region] !== undefined)).toBe(true);
  });
});

describe("syntheticRunning", () => {
  const f = compileFacility(facility({ id: "s", racks: 8, nodesPerRack: 18, racksPerBlock: 4 }));
  const p = policy([tier("t0", 200), tier("t1", 200)], tenants);
  const opts = { seed: 9, count: 400, facility: f, policy: p, nowMs: T0, occupancy: 0.8 };

  it("fills the facility to about the asked occupancy, with running jobs inside their limits", () => {
    const running = syntheticRunning(opts);
    expect(syntheticRunning(opts)).toEqual(running);
    const gpus = 8 * 18 * 4;
    const held = running.reduce((a, r) => a + r.allocation.nodes.reduce((b, n) => b + n.gpus.length, 0), 0);
    expect(held).toBeLessThanOrEqual(0.8 * gpus);
    expect(held).toBeGreaterThan(0.6 * gpus);
    const seen = new Set<string>();
    for (const r of running) {
      expect(r.startedAtMs).toBeLessThanOrEqual(T0);
      expect(r.startedAtMs + r.job.limitS * 1000).toBeGreaterThan(T0);
      expect(r.job.submittedAtMs).toBeLessThanOrEqual(r.startedAtMs);
      expect(gpusOf(r.job)).toBe(r.allocation.nodes.reduce((a, n) => a + n.gpus.length, 0));
      for (const n of r.allocation.nodes)
        for (const g of n.gpus) {
          const k = `${n.nodeId}#${g}`;
          expect(seen.has(k)).toBe(false);
          seen.add(k);
        }
    }
  });

  it("uses the default policy's tenants on the default facility", () => {
    const big = compileFacility(loadFacilityFile("facilities/stargate-norway.yaml"));
    const pol = loadPolicyFile("policies/default.yaml");
    const running = syntheticRunning({ seed: 1, count: 3000, facility: big, policy: pol, nowMs: T0 });
    const tiers = new Set(running.map((r) => pol.tenants.find((t) => t.id === r.job.tenantId)!.tierId));
    expect(tiers).toEqual(new Set(pol.tiers.map((t) => t.id)));
  });
});
