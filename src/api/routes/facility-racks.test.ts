// The floor map's endpoints and the dashboard's helpers in the API: per-rack GPUs in use, one rack's
// nodes and jobs, tier guarantees, the key's own identity, and the tickets that open the event stream.
// A tenant sees its own GPUs and jobs by name; every other tenant's only as GPUs in use.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  smallJob,
  startTestApi,
  TENANT_A,
  TENANT_B,
  type TestApi,
} from "../../../test/support/api-test-harness.ts";

interface Rack {
  id: string;
  gpus: number;
  allocatedGpus: number;
  allocatedByTier: Record<string, number>;
  allocatedByTenant: Record<string, number>;
}
interface Floor {
  tiers: string[];
  sites: {
    siteId: string;
    executor: string;
    executorReachable: boolean | null;
    executorCheckedAt: string | null;
    executorDetail: string;
    halls: { hallId: string; racks: Rack[] }[];
  }[];
}
interface RackDetail {
  nodes: { id: string; allocatedGpus: number; jobs: { jobId: string; tenant: string; tier: string }[] }[];
}

/** Slurm's client installed (it need not reach any controller). */
const haveScontrol = spawnSync("scontrol", ["--version"], { stdio: "ignore" }).error === undefined;

const racksOf = (floor: Floor) => floor.sites.flatMap((s) => s.halls.flatMap((h) => h.racks));

let api: TestApi;
let jobOfA: string;
let jobOfB: string;
beforeAll(async () => {
  api = await startTestApi();
  // One 4-GPU job each at the Norwegian site, running now.
  const running = smallJob({ notBefore: undefined, residency: ["NO"] });
  jobOfA = (await api.call("memberA", "POST", "/v1/jobs", running)).json().id;
  jobOfB = (await api.call("memberB", "POST", "/v1/jobs", running)).json().id;
  await eventually("both jobs running", async () => {
    const jobs = await Promise.all(
      [jobOfA, jobOfB].map(async (id) => (await api.call("operator", "GET", `/v1/jobs/${id}`)).json()),
    );
    return jobs.every((j) => j.state === "running");
  });
});
afterAll(() => api.close());

describe("GET /v1/facility/racks", () => {
  it("gives every rack with its GPUs in use per tier and per tenant, adding up to the site's occupancy", async () => {
    const floor: Floor = (await api.call("operator", "GET", "/v1/facility/racks")).json();
    expect(floor.tiers).toEqual(["national", "nordic-european", "global"]);
    expect(floor.sites.map((s) => [s.siteId, s.executor])).toEqual([
      ["no-test", "simulated"],
      ["ae-test", "simulated"],
    ]);
    const racks = racksOf(floor);
    expect(racks.map((r) => [r.id, r.gpus])).toEqual([
      ["no-test/hall-a-r001", 16],
      ["no-test/hall-a-r002", 16],
      ["ae-test/hall-b-r001", 16],
    ]);
    const sum = (pick: (r: Rack) => Record<string, number>) =>
      racks.reduce<Record<string, number>>((total, r) => {
        for (const [k, n] of Object.entries(pick(r))) total[k] = (total[k] ?? 0) + n;
        return total;
      }, {});
    expect(sum((r) => r.allocatedByTenant)).toEqual({ [TENANT_A]: 4, [TENANT_B]: 4 });
    expect(sum((r) => r.allocatedByTier)).toEqual({ national: 4, "nordic-european": 4 });
    const occupancy = (await api.call("operator", "GET", "/v1/facility/occupancy")).json();
    const noTest = occupancy.sites.find((s: { siteId: string }) => s.siteId === "no-test");
    expect(racks.reduce((n, r) => n + r.allocatedGpus, 0)).toBe(noTest.allocatedGpus);
  });

  it("names each site's executor as the service was given them, simulated otherwise", async () => {
    const other = await startTestApi({ siteExecutors: { "ae-test": "slurm" } });
    try {
      const floor: Floor = (await other.call("memberA", "GET", "/v1/facility/racks")).json();
      expect(floor.sites.map((s) => [s.siteId, s.executor])).toEqual([
        ["no-test", "simulated"],
        ["ae-test", "slurm"],
      ]);
    } finally {
      await other.close();
    }
  });

  it.skipIf(!haveScontrol)(
    "says whether each site's executor answers: a Slurm controller that is down does not",
    async () => {
      // A real scontrol, asking a controller at a port nothing listens on.
      const conf = join(mkdtempSync(join(tmpdir(), "fjord-unreachable-")), "slurm.conf");
      writeFileSync(
        conf,
        "ClusterName=nowhere\nSlurmctldHost=localhost\nSlurmctldPort=1\nAuthType=auth/none\n",
      );
      const other = await startTestApi({
        siteExecutors: { "ae-test": "slurm" },
        slurmConfs: new Map([["ae-test", conf]]),
      });
      try {
        const sitesNow = async () =>
          ((await other.call("memberA", "GET", "/v1/facility/racks")).json() as Floor).sites;
        await eventually("the controller asked", async () =>
          (await sitesNow()).every((s) => s.executorReachable !== null),
        );
        const [simulated, slurm] = await sitesNow();
        expect(simulated).toMatchObject({ executorReachable: true, executorCheckedAt: null });
        expect(slurm).toMatchObject({
          executor: "slurm",
          executorReachable: false,
          executorCheckedAt: expect.stringMatching(/Z$/),
        });
        expect(slurm!.executorDetail).toMatch(/scontrol ping/);
      } finally {
        await other.close();
      }
    },
  );

  it("shows a tenant key its own tenant's GPUs by name and the others' only in the totals", async () => {
    const floor: Floor = (await api.call("memberB", "GET", "/v1/facility/racks")).json();
    const racks = racksOf(floor);
    expect(racks.flatMap((r) => Object.keys(r.allocatedByTenant))).toEqual([TENANT_B]);
    expect(racks.reduce((n, r) => n + r.allocatedGpus, 0)).toBe(8);
  });
});

describe("GET /v1/facility/racks/{id}", () => {
  it("lists the rack's nodes with the jobs the key may see on them", async () => {
    const floor: Floor = (await api.call("operator", "GET", "/v1/facility/racks")).json();
    const rackIds = racksOf(floor)
      .filter((r) => r.allocatedGpus > 0)
      .map((r) => r.id);
    const details = async (key: "operator" | "memberA") =>
      Promise.all(
        rackIds.map(
          async (id) =>
            (await api.call(key, "GET", `/v1/facility/racks/${encodeURIComponent(id)}`)).json() as RackDetail,
        ),
      );
    const jobsSeen = (views: RackDetail[]) =>
      new Set(views.flatMap((v) => v.nodes.flatMap((n) => n.jobs.map((j) => j.jobId))));
    expect(jobsSeen(await details("operator"))).toEqual(new Set([jobOfA, jobOfB]));
    const asA = await details("memberA");
    expect(jobsSeen(asA)).toEqual(new Set([jobOfA]));
    expect(asA.flatMap((v) => v.nodes).reduce((n, node) => n + node.allocatedGpus, 0)).toBe(8);
    const jobA = asA.flatMap((v) => v.nodes.flatMap((n) => n.jobs)).find((j) => j.jobId === jobOfA);
    expect(jobA).toMatchObject({ tenant: TENANT_A, tier: "national" });
  });

  it("answers 404 for a rack that does not exist", async () => {
    const res = await api.call("operator", "GET", "/v1/facility/racks/no-test%2Fhall-z-r999");
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("follows the jobs as they end", async () => {
    await api.call("memberA", "POST", `/v1/jobs/${jobOfA}/cancel`);
    await eventually("tenant A's GPUs freed on the floor", async () => {
      const floor: Floor = (await api.call("operator", "GET", "/v1/facility/racks")).json();
      return racksOf(floor).every((r) => r.allocatedByTenant[TENANT_A] === undefined);
    });
  });
});

describe("GET /v1/tiers", () => {
  it("gives each tier's guarantee and borrowing limit in GPUs of the facility-operated sites", async () => {
    const view = (await api.call("memberA", "GET", "/v1/tiers")).json();
    expect(view.facilityGpus).toBe(48);
    // policies/default.yaml: national 40 % + borrowing 60 %, nordic-european 35 % + 4,096, global 10 %.
    expect(view.tiers).toEqual([
      expect.objectContaining({ tier: "national", guaranteedGpus: 19, borrowingLimitGpus: 28 }),
      expect.objectContaining({ tier: "nordic-european", guaranteedGpus: 16, borrowingLimitGpus: 4096 }),
      expect.objectContaining({ tier: "global", guaranteedGpus: 4, borrowingLimitGpus: null }),
    ]);
    for (const t of view.tiers) expect(t.borrowedGpus).toBe(Math.max(0, t.allocatedGpus - t.guaranteedGpus));
  });
});

describe("GET /v1/me", () => {
  it("tells a key its own role and tenant", async () => {
    expect((await api.call("memberA", "GET", "/v1/me")).json()).toEqual({
      keyId: api.keyIds.memberA,
      role: "tenant-member",
      tenant: TENANT_A,
    });
    expect((await api.call("operator", "GET", "/v1/me")).json()).toMatchObject({
      role: "operator",
      tenant: null,
    });
    expect((await api.call(null, "GET", "/v1/me")).statusCode).toBe(401);
  });
});

describe("POST /v1/events/tickets", () => {
  it("gives a ticket that opens the event stream once, as its key, and nothing else", async () => {
    const issued = await api.call("memberA", "POST", "/v1/events/tickets", {});
    expect(issued.statusCode).toBe(201);
    expect(issued.headers["cache-control"]).toBe("no-store");
    const { ticket, url } = issued.json();
    expect(url).toBe(`/v1/events?ticket=${ticket}`);
    // Another route does not take it.
    expect((await api.call(null, "GET", `/v1/jobs?ticket=${ticket}`)).statusCode).toBe(401);

    const base = await api.app.listen({ host: "127.0.0.1", port: 0 });
    const abort = new AbortController();
    const stream = await fetch(`${base}${url}`, { signal: abort.signal });
    expect(stream.status).toBe(200);
    const jobOfB = (await api.call("memberB", "POST", "/v1/jobs", smallJob())).json().id;
    const ownJob = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    while (!received.includes(ownJob)) received += (await reader.read()).value ?? "";
    expect(received).not.toContain(jobOfB);
    abort.abort();

    const again = await fetch(`${base}${url}`);
    expect(again.status).toBe(401);
    expect((await again.json()).detail).toMatch(/ticket is not valid/);
  });

  it.each([
    ["no body", undefined, {}],
    ["an empty JSON body", "", { "content-type": "application/json" }],
    ["the empty object", "{}", { "content-type": "application/json" }],
  ])("takes %s as the empty object it asks for", async (_, body, headers) => {
    const issued = await api.call("memberA", "POST", "/v1/events/tickets", body, headers);
    expect(issued.statusCode).toBe(201);
    expect(issued.json().url).toMatch(/^\/v1\/events\?ticket=fjt_/);
  });

  it("names an unknown key in its detail and says the body takes none", async () => {
    const refused = await api.call("memberA", "POST", "/v1/events/tickets", { tenant: "b", __proto__x: 1 });
    expect(refused.statusCode).toBe(400);
    const problem = refused.json();
    expect(problem.errors).toEqual([
      { field: "tenant", reason: "is not a known key here (none: it takes an empty object)" },
      { field: "__proto__x", reason: "is not a known key here (none: it takes an empty object)" },
    ]);
    expect(problem.detail).toBe(
      'the request body is not valid: "tenant" is not a known key here (none: it takes an empty object); ' +
        '"__proto__x" is not a known key here (none: it takes an empty object)',
    );
  });
});
