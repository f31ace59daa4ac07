import { describe, expect, it } from "vitest";
import { decide, facility, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import type { Decisions } from "./decisions.ts";

const startedIds = (d: Decisions) => d.start.map((s) => s.jobId);
const waiting = (d: Decisions, id: string) => d.waiting.find((w) => w.jobId === id);

// Four single-node racks of 4 GPUs: 16 GPUs, each node its own NVLink domain.
const f16 = facility({ id: "no", racks: 4, nodesPerRack: 1 });
const node = (k: number): [string, number[]] => [`no/r${k}n0`, [0, 1, 2, 3]];

describe("borrowable tenant quotas", () => {
  // The tier's guarantee is more than the facility: only quotas stand in any job's way.
  const p = policy(
    [tier("national", 20)],
    [
      tenant("big", "national", { quotaGpus: 4, quotaMode: "borrowable" }),
      tenant("small", "national", { quotaGpus: 4 }),
    ],
  );

  it("lets a tenant past its quota take idle GPUs once jobs within their quotas had theirs", () => {
    const bigJobs = [1, 2, 3, 4].map(() => job("big", { gpus: 4 }));
    const smallJob = job("small", { gpus: 4 });
    const d = decide(f16, p, [...bigJobs, smallJob]);
    expect(startedIds(d)).toEqual([bigJobs[0]!.id, smallJob.id, bigJobs[1]!.id, bigJobs[2]!.id]);
    expect(waiting(d, bigJobs[3]!.id)).toMatchObject({
      reason: { kind: "quota-borrowing", tenantId: "big", usedGpus: 12, quotaGpus: 4, gpus: 4 },
    });
  });

  it("runs a job larger than a borrowable quota on idle GPUs", () => {
    const wide = job("big", { nodes: 2, gpusPerNode: 4, topology: "site" });
    expect(startedIds(decide(f16, p, [wide]))).toEqual([wide.id]);
  });

  it("takes GPUs above a borrowable quota back for a job within its own quota", () => {
    // Started 15 to 45 minutes ago: past the thrash guard's ten minutes, short of their one-hour limit.
    const held = [0, 1, 2, 3].map((k) =>
      running(job("big", { gpus: 4 }), T0 - (k + 1) * 15 * 60_000, "no", [node(k)]),
    );
    const smallJob = job("small", { gpus: 4 });
    const d = decide(f16, p, [smallJob], held);
    expect(startedIds(d)).toEqual([smallJob.id]);
    expect(d.preempt).toHaveLength(1);
    expect(d.preempt[0]!.byJobId).toBe(smallJob.id);
  });

  it("never preempts for a job that would itself go past its tenant's quota", () => {
    const held = [0, 1, 2, 3].map((k) =>
      running(job("small", { gpus: 4 }), T0 - 30 * 60_000, "no", [node(k)]),
    );
    const bigJob = job("big", { gpus: 4 });
    const hard = policy(p.tiers, [tenant("big", "national"), tenant("small", "national", { quotaGpus: 16 })]);
    // Within a hard or absent quota, nothing is above a quota to take back.
    expect(decide(f16, hard, [bigJob], held).preempt).toEqual([]);
    const overBig = [0, 1, 2, 3].map((k) =>
      running(job("big", { gpus: 4 }), T0 - 30 * 60_000, "no", [node(k)]),
    );
    const another = job("big", { gpus: 4 });
    expect(decide(f16, p, [another], overBig).preempt).toEqual([]);
  });

  it("keeps a hard quota hard", () => {
    const smallJobs = [1, 2].map(() => job("small", { gpus: 4 }));
    const d = decide(f16, p, smallJobs);
    expect(startedIds(d)).toEqual([smallJobs[0]!.id]);
    expect(waiting(d, smallJobs[1]!.id)!.reason.kind).toBe("tenant-quota");
  });
});
