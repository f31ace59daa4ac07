import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  smallJob,
  startTestApi,
  TENANT_A,
  type TestApi,
} from "../../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

interface QueueEntry {
  jobId: string;
  tenant: string;
  reason: { kind: string };
}
interface Tier {
  tier: string;
  waitingCount: number;
  waiting: QueueEntry[];
}

describe("GET /v1/queue", () => {
  it("explains each waiting job in words and as data, and shows a tenant only its own entries", async () => {
    const jobOfA = (
      await api.call("memberA", "POST", "/v1/jobs", smallJob({ notBefore: "2031-06-01T12:00:00Z" }))
    ).json().id;
    const jobOfB = (await api.call("memberB", "POST", "/v1/jobs", smallJob())).json().id;
    const operatorView = await eventually("both jobs in the queue", async () => {
      const view = (await api.call("operator", "GET", "/v1/queue")).json();
      const ids = view.tiers.flatMap((t: Tier) => t.waiting.map((e) => e.jobId));
      return ids.includes(jobOfA) && ids.includes(jobOfB) ? view : null;
    });
    expect(operatorView.tiers.map((t: Tier) => t.tier)).toEqual(["national", "nordic-european", "global"]);
    const entry = operatorView.tiers[0].waiting.find((e: QueueEntry) => e.jobId === jobOfA);
    expect(entry).toMatchObject({
      tenant: TENANT_A,
      tier: "national",
      gpus: 4,
      reason: { kind: "not-yet", notBefore: "2031-06-01T12:00:00.000Z" },
      sentence: "waiting: start window opens 2031-06-01T12:00Z",
      estimatedStart: "2031-06-01T12:00:00.000Z",
    });

    const tenantView = (await api.call("memberA", "GET", "/v1/queue")).json();
    const seen = tenantView.tiers.flatMap((t: Tier) => t.waiting);
    expect(seen.every((e: QueueEntry) => e.tenant === TENANT_A)).toBe(true);
    expect(seen.map((e: QueueEntry) => e.jobId)).toContain(jobOfA);
    const nordic = tenantView.tiers.find((t: Tier) => t.tier === "nordic-european");
    expect(nordic.waiting).toEqual([]);
    expect(nordic.waitingCount).toBeGreaterThanOrEqual(1);
    expect(tenantView.tiers.map((t: Tier) => t.waitingCount)).toEqual(
      operatorView.tiers.map((t: Tier) => t.waitingCount),
    );
  });
});

describe("GET /v1/facility", () => {
  it("lists the sites with jurisdictions, node types and counts", async () => {
    const res = await api.call("memberB", "GET", "/v1/facility");
    expect(res.statusCode).toBe(200);
    const { sites, nodeTypes } = res.json();
    expect(nodeTypes.map((t: { id: string }) => t.id)).toEqual(["mini-nvl-tray", "hgx-h100"]);
    expect(sites).toEqual([
      expect.objectContaining({
        id: "no-test",
        jurisdictions: ["NO", "EEA"],
        operator: "facility",
        halls: 1,
        racks: 2,
        nodes: 8,
        gpus: 32,
        nodeTypes: [{ nodeType: "mini-nvl-tray", nodes: 8, gpus: 32 }],
      }),
      expect.objectContaining({ id: "ae-test", jurisdictions: ["AE", "GCC"], racks: 1, nodes: 2, gpus: 16 }),
    ]);
  });
});

describe("GET /v1/facility/occupancy", () => {
  it("shows a running job's GPUs at its site and tier", async () => {
    const id = (
      await api.call("memberA", "POST", "/v1/jobs", smallJob({ gpus: 8, residency: ["AE"], notBefore: null }))
    ).json().id;
    await eventually(
      "the job to start",
      async () => (await api.call("memberA", "GET", `/v1/jobs/${id}`)).json().state === "running",
    );
    const { at, sites } = (await api.call("memberB", "GET", "/v1/facility/occupancy")).json();
    expect(at).toMatch(/Z$/);
    const ae = sites.find((s: { siteId: string }) => s.siteId === "ae-test");
    expect(ae).toMatchObject({ jurisdictions: ["AE", "GCC"], gpus: 16, nodesUp: 2, allocatedGpus: 8 });
    expect(ae.allocatedByTier).toMatchObject({ national: 8, "nordic-european": 0, global: 0 });
  });
});
