import { describe, expect, it } from "vitest";
import { facility, job, policy, running, T0, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { noIdleGpus, shareIdleGpus } from "./idle-causes.ts";
import { SchedulerSession } from "./session.ts";

// Two sites of two 4-GPU nodes: no (NO, EEA) and ae (AE).
const twoSites = facility(
  { id: "no", racks: 2, nodesPerRack: 1 },
  { id: "ae", racks: 2, nodesPerRack: 1, jurisdictions: ["AE"] },
);
const p = policy(
  [tier("national", 16)],
  [tenant("capped", "national", { quotaGpus: 4 }), tenant("open", "national")],
);

describe("idle GPUs by what holds the waiting jobs back", () => {
  it("puts each waiting job down to its cause and shares the free GPUs out over them", () => {
    // NO is full; one of ae's nodes is free: 4 idle GPUs.
    const held = [
      running(job("open", { gpus: 4 }), T0, "no", [["no/r0n0", [0, 1, 2, 3]]]),
      running(job("open", { gpus: 4 }), T0, "no", [["no/r1n0", [0, 1, 2, 3]]]),
      running(job("capped", { gpus: 4 }), T0, "ae", [["ae/r0n0", [0, 1, 2, 3]]]),
    ];
    const session = new SchedulerSession(compileFacility(twoSites), p, held);
    session.submit(job("capped", { gpus: 4 })); // its hard quota
    session.submit(job("open", { gpus: 4, residency: ["NO"] })); // free GPUs only where it may not run
    session.submit(job("open", { nodes: 2, gpusPerNode: 4 })); // more than any site has free
    session.submit(job("open", { gpus: 4, notBeforeAtMs: T0 + 3_600_000 })); // its start window
    expect(session.idleGpusByCause(T0)).toEqual({
      ...noIdleGpus(),
      "tenant-quota": 1,
      "gpu-model-or-site": 1,
      "no-fit": 1,
      "start-window": 1,
    });
  });

  it("leaves a job past a borrowable quota to the room it finds", () => {
    const borrowable = policy(p.tiers, [
      tenant("capped", "national", { quotaGpus: 4, quotaMode: "borrowable" }),
    ]);
    const held = [running(job("capped", { gpus: 4 }), T0, "ae", [["ae/r0n0", [0, 1, 2, 3]]])];
    const session = new SchedulerSession(compileFacility(twoSites), borrowable, held);
    session.submit(job("capped", { nodes: 2, gpusPerNode: 4 }));
    expect(session.idleGpusByCause(T0)).toEqual({ ...noIdleGpus(), "no-fit": 12 });
  });

  it("caps each cause's claim at the idle GPUs, so one huge job does not take every share", () => {
    const shares = shareIdleGpus(100, {
      ...noIdleGpus(),
      "tenant-quota": 10_000,
      reserved: 100,
      "no-fit": 50,
    });
    expect(shares).toEqual({ ...noIdleGpus(), "tenant-quota": 40, reserved: 40, "no-fit": 20 });
    expect(shareIdleGpus(100, noIdleGpus())).toEqual(noIdleGpus());
  });
});
