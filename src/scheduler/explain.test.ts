import { describe, expect, it } from "vitest";
import { decide, facility, job, policy, T0, tenant, tier } from "../../test/support/build.ts";
import type { StartDecision } from "./decisions.ts";
import { describeStart, describeWaiting } from "./explain.ts";

const at = (iso: string) => Date.parse(iso);
const HOUR_S = 3600;

describe("describeWaiting", () => {
  it("not-yet: when the start window opens", () => {
    const opens = at("2026-12-01T12:00:00Z");
    expect(describeWaiting({ kind: "not-yet", notBeforeAtMs: opens }, opens)).toBe(
      "waiting: start window opens 2026-12-01T12:00Z",
    );
  });

  it("not-yet: adds the estimate only when it is later than the window", () => {
    expect(
      describeWaiting(
        { kind: "not-yet", notBeforeAtMs: at("2026-12-01T12:00:00Z") },
        at("2026-12-01T15:30:45Z"),
      ),
    ).toBe("waiting: start window opens 2026-12-01T12:00Z; estimated start 2026-12-01T15:30Z");
  });

  it("deferred: how much cleaner the chosen hours are, from when, and the deadline it keeps", () => {
    const reason = {
      kind: "deferred",
      untilAtMs: at("2026-12-02T02:00:00Z"),
      signal: "carbon",
      saving: 0.623,
      deadlineAtMs: at("2026-12-03T00:00:00Z"),
    } as const;
    expect(describeWaiting(reason, reason.untilAtMs)).toBe(
      "deferred: 62 % cleaner hours from 2026-12-02T02:00Z, deadline 2026-12-03T00:00Z",
    );
  });

  it("deferred: price deferral waits for cheaper hours; a job without a deadline names none", () => {
    const reason = {
      kind: "deferred",
      untilAtMs: at("2026-12-02T03:00:00Z"),
      signal: "price",
      saving: 0.25,
      deadlineAtMs: null,
    } as const;
    expect(describeWaiting(reason, reason.untilAtMs)).toBe(
      "deferred: 25 % cheaper hours from 2026-12-02T03:00Z",
    );
  });

  it("deferred: a pass gives the reason to a job whose earliest start is its deferral's, and not-yet otherwise", () => {
    const f = facility({ id: "no", racks: 1, nodesPerRack: 2 });
    const p = policy([tier("t", 8)], [tenant("a", "t")]);
    const deferral = {
      untilAtMs: T0 + 3 * 3_600_000,
      signal: "carbon",
      saving: 0.7,
      deadlineAtMs: null,
    } as const;
    const deferred = job("a", { deferral, notBeforeAtMs: deferral.untilAtMs });
    const ownWindow = job("a", { deferral: null, notBeforeAtMs: T0 + 3_600_000 });
    const waiting = decide(f, p, [deferred, ownWindow]).waiting;
    const byId = new Map(waiting.map((w) => [w.jobId, w]));
    const w = byId.get(deferred.id)!;
    expect(w.reason).toEqual({ kind: "deferred", ...deferral });
    expect(describeWaiting(w.reason, w.estimatedStartAtMs)).toBe(
      "deferred: 70 % cleaner hours from 2026-12-01T03:00Z",
    );
    expect(byId.get(ownWindow.id)!.reason.kind).toBe("not-yet");
  });

  it("unknown-tenant", () => {
    expect(describeWaiting({ kind: "unknown-tenant", tenantId: "acme" }, null)).toBe(
      "never runs: tenant acme is not defined in the policy",
    );
  });

  it("no-eligible-site: includes the rule that excludes each site", () => {
    const detail = "site ae-abu-dhabi (AE, GCC) is outside residency NO";
    expect(describeWaiting({ kind: "no-eligible-site", detail }, null)).toBe(
      "never runs: no site may take this job: site ae-abu-dhabi (AE, GCC) is outside residency NO",
    );
  });

  it("too-few-nodes: the gang's nodes against the most nodes a place of its scope has", () => {
    expect(
      describeWaiting(
        { kind: "too-few-nodes", nodes: 2, gpusPerNode: 2, largestNodes: 1, scope: "site" },
        null,
      ),
    ).toBe("never fits: needs 2 nodes with 2 GPUs each, the largest allowed site has 1 such node");
  });

  it("too-large: the job against the largest place of its scope", () => {
    expect(
      describeWaiting({ kind: "too-large", gpus: 8192, largestGpus: 4608, scope: "network-block" }, null),
    ).toBe("never fits: needs 8,192 GPUs, the largest network block holds 4,608");
    expect(
      describeWaiting({ kind: "too-large", gpus: 144, largestGpus: 72, scope: "nvlink-domain" }, null),
    ).toBe("never fits: needs 144 GPUs, the largest NVLink domain holds 72");
    expect(
      describeWaiting({ kind: "too-large", gpus: 200000, largestGpus: 100008, scope: "site" }, null),
    ).toBe("never fits: needs 200,000 GPUs, the largest allowed site holds 100,008");
  });

  it("tenant-quota", () => {
    expect(
      describeWaiting(
        { kind: "tenant-quota", tenantId: "sisu-ai", usedGpus: 8000, quotaGpus: 8192, gpus: 512 },
        at("2026-12-02T10:00:00Z"),
      ),
    ).toBe(
      "waiting: tenant sisu-ai would go past its GPU quota (8,000/8,192 GPUs in use; this job needs 512 more); " +
        "estimated start 2026-12-02T10:00Z",
    );
  });

  it("quota-borrowing", () => {
    expect(
      describeWaiting(
        { kind: "quota-borrowing", tenantId: "oresund-bio", usedGpus: 2000, quotaGpus: 2048, gpus: 512 },
        null,
      ),
    ).toBe(
      "waiting: tenant oresund-bio's quota is borrowable and this job would take it past it " +
        "(2,000/2,048 GPUs in use; this job needs 512 more): it runs only on idle GPUs, and none hold it now",
    );
  });

  it("borrowing-limit", () => {
    expect(
      describeWaiting(
        {
          kind: "borrowing-limit",
          tierId: "nordic-european",
          guaranteedGpus: 38530,
          borrowedGpus: 4096,
          limitGpus: 4096,
          gpus: 512,
        },
        null,
      ),
    ).toBe(
      "waiting: tier nordic-european is at its borrowing limit (4,096/4,096 GPUs borrowed; this job needs 512 more)",
    );
  });

  it("tenant-quota smaller than the job: never runs", () => {
    expect(
      describeWaiting(
        { kind: "tenant-quota", tenantId: "oresund-bio", usedGpus: 0, quotaGpus: 2048, gpus: 4096 },
        null,
      ),
    ).toBe("never runs: needs 4,096 GPUs, more than tenant oresund-bio's quota of 2,048");
  });

  it("borrowing-limit below the job's size: never runs", () => {
    expect(
      describeWaiting(
        {
          kind: "borrowing-limit",
          tierId: "nordic",
          guaranteedGpus: 8,
          borrowedGpus: 0,
          limitGpus: 4,
          gpus: 16,
        },
        null,
      ),
    ).toBe("never runs: needs 16 GPUs, more than tier nordic may ever hold (8 guaranteed + 4 borrowed)");
  });

  it("no-room: names the topology level the job waits at", () => {
    const estimate = at("2026-12-02T10:00:00Z");
    expect(
      describeWaiting({ kind: "no-room", scope: "nvlink-domain", gpus: 64, gpuModels: ["GB300"] }, estimate),
    ).toBe("waiting: no NVLink domain has 64 free GB300 GPUs; estimated start 2026-12-02T10:00Z");
    expect(
      describeWaiting(
        { kind: "no-room", scope: "network-block", gpus: 1, gpuModels: ["GB300", "H100"] },
        estimate,
      ),
    ).toBe("waiting: no network block has 1 free GB300 or H100 GPU; estimated start 2026-12-02T10:00Z");
    expect(describeWaiting({ kind: "no-room", scope: "site", gpus: 4096, gpuModels: ["GB300"] }, null)).toBe(
      "waiting: no allowed site has 4,096 free GB300 GPUs in one place",
    );
  });

  it("reserved: the exact time and site, not repeated as an estimate", () => {
    const startAtMs = at("2026-12-02T10:00:00Z");
    expect(
      describeWaiting({ kind: "reserved", startAtMs, siteId: "no-kvandal", gpus: 2304 }, startAtMs),
    ).toBe(
      "reserved: 2,304 GPUs at no-kvandal from 2026-12-02T10:00Z; smaller jobs may run there only if they finish first",
    );
  });

  it("preemption-not-worth: GPU-hours with one decimal", () => {
    expect(
      describeWaiting(
        { kind: "preemption-not-worth", lostGpuS: 3.26 * HOUR_S, gainGpuS: 0.7 * HOUR_S },
        at("2026-12-01T13:00:00Z"),
      ),
    ).toBe(
      "waiting: preempting would destroy 3.3 GPU-hours of un-checkpointed work to gain 0.7; " +
        "estimated start 2026-12-01T13:00Z",
    );
  });
});

describe("describeStart", () => {
  const nodes = (count: number, gpus: number[]) =>
    Array.from({ length: count }, (_, k) => ({ nodeId: `n${k}`, gpus }));

  it("lists only the flags that apply", () => {
    const start: StartDecision = {
      jobId: "job-a",
      allocation: { siteId: "no-kvandal", nodes: nodes(576, [0, 1, 2, 3]) },
      borrowing: false,
      backfilled: false,
      preempted: [],
    };
    expect(describeStart(start)).toBe("start on 576 nodes (2,304 GPUs) at no-kvandal");
  });

  it("borrowing, backfilled and preempting, in that order", () => {
    const start: StartDecision = {
      jobId: "job-a",
      allocation: { siteId: "no-kvandal", nodes: nodes(576, [0, 1, 2, 3]) },
      borrowing: true,
      backfilled: true,
      preempted: ["job-x", "job-y"],
    };
    expect(describeStart(start)).toBe(
      "start on 576 nodes (2,304 GPUs) at no-kvandal, borrowing, backfilled, preempting job-x, job-y",
    );
  });

  it("singular node and GPU", () => {
    const start: StartDecision = {
      jobId: "job-a",
      allocation: { siteId: "no-test", nodes: nodes(1, [2]) },
      borrowing: false,
      backfilled: true,
      preempted: [],
    };
    expect(describeStart(start)).toBe("start on 1 node (1 GPU) at no-test, backfilled");
  });
});
