// Either side restarting, against real Slurm daemons: slurmctld killed with SIGKILL mid-run and started
// again from its saved state, and Fjord's control plane stopped and started again on the same database.
// Every job ends exactly once, and none is submitted twice.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { job, policy, tenant, tier } from "../../test/support/build.ts";
import {
  demandSlurm,
  eventually,
  SLURM_TEST_FACILITY,
  type SlurmCluster,
  scriptExecutor,
  useSiteCluster,
} from "../../test/support/slurm-cluster.ts";
import type { Allocation, Job } from "../model/types.ts";
import type { ServiceClock } from "../service/service-clock.ts";
import { startControlPlane } from "../service/start-control-plane.ts";
import { openStore } from "../store/open-store.ts";
import type { Principal } from "../store/records.ts";
import type { ExecutorListener, ExecutorOutcome } from "./executor.ts";

const FACILITY = SLURM_TEST_FACILITY;
const SITE = "fjord-north";
const OPERATOR: Principal = { keyId: "key_operator", role: "operator", tenantId: null };

const canRun = demandSlurm("src/executors/slurm-restarts.slurm.test.ts");

describe.skipIf(!canRun)("restarts on either side of a real Slurm cluster", () => {
  const cluster = useSiteCluster(SITE, "restarts");

  const scriptJob = (script: string): Job => ({ ...job("aurora-labs", { gpus: 1 }), labels: { script } });
  const oneGpu = (node: string): Allocation => ({
    siteId: SITE,
    nodes: [{ nodeId: `${SITE}/${node}`, gpus: [0] }],
  });
  const slurmJobsNamed = async (c: SlurmCluster, j: Job) =>
    (await c.client("squeue", ["--states=all", "--noheader", "--format=%T", `--name=fjord-${j.id}`]))
      .trim()
      .split("\n")
      .filter((l) => l !== "");

  it("keeps every job through a slurmctld crash: none lost, none submitted twice, each ends once", async () => {
    const ends: { jobId: string; outcome: ExecutorOutcome; detail?: string }[] = [];
    const executor = scriptExecutor(SITE, cluster(), {
      finished: (jobId, _atMs, outcome, detail) => ends.push({ jobId, outcome, detail }),
    });
    try {
      const before = scriptJob("sleep 10");
      executor.start(before, oneGpu("hall-a-r001-n01"), Date.now());
      await eventually("running", () => executor.slurmRun(before.id)?.gpusByNode);
      // slurmctld saves job state shortly after a change; a crash before that forgets the job started.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await cluster().killController();
      // Decided while the controller is down: held, and submitted once it is back.
      const during = scriptJob("sleep 1");
      executor.start(during, oneGpu("hall-a-r001-n02"), Date.now());
      await eventually("the outage noticed", () => executor.lagMs() > 0, 20_000);
      await cluster().startController();
      for (const j of [before, during])
        await eventually(`${j.id} ended`, () => ends.some((e) => e.jobId === j.id), 60_000);
      for (const j of [before, during])
        expect(ends.filter((e) => e.jobId === j.id)).toEqual([
          { jobId: j.id, outcome: "completed", detail: expect.stringMatching(/COMPLETED/) },
        ]);
      expect(await slurmJobsNamed(cluster(), before)).toEqual(["COMPLETED"]);
      expect(await slurmJobsNamed(cluster(), during)).toEqual(["COMPLETED"]);
      expect(executor.lagMs()).toBe(0);
    } finally {
      await executor.close();
    }
  }, 120_000);

  it("finds a running job again when the control plane restarts on the same database, and ends it once", async () => {
    const dataDir = join(cluster().dir, "fjord-db");
    const options = (store: Awaited<ReturnType<typeof openStore>>) => ({
      store,
      facility: FACILITY,
      policy: policy([tier("national", 16)], [tenant("aurora-labs", "national")]),
      loop: { debounceMs: 5, fullPassIntervalMs: 500 },
      executor: (clock: ServiceClock, listener: ExecutorListener) =>
        scriptExecutor(SITE, cluster(), listener, clock),
    });
    let store = await openStore({ dataDir });
    let cp = await startControlPlane(options(store));
    const j = {
      ...job("aurora-labs", { gpus: 2, residency: ["NO"], submittedAtMs: cp.nowMs() }),
      labels: { script: "sleep 6" },
    };
    await cp.submit(OPERATOR, j, null);
    await eventually("running", async () => (await store.getJob(j.id))?.state === "running");
    await eventually("on the cluster", async () => (await slurmJobsNamed(cluster(), j)).includes("RUNNING"));
    await cp.stop();
    await store.close();

    store = await openStore({ dataDir });
    cp = await startControlPlane(options(store));
    try {
      await eventually("completed", async () => (await store.getJob(j.id))?.state === "completed", 30_000);
      expect(await slurmJobsNamed(cluster(), j)).toEqual(["COMPLETED"]);
      const audit = await store.listAudit({ tenantId: "aurora-labs", limit: 100 });
      expect(audit.items.filter((e) => e.objectId === j.id).map((e) => e.action)).toEqual([
        "job.submit",
        "job.start",
        "job.completed",
      ]);
    } finally {
      await cp.stop();
      await store.close();
    }
  }, 60_000);
  it("requeues a run whose Slurm id a controller that lost its state gave to another job", async () => {
    const ends: { jobId: string; outcome: ExecutorOutcome; detail?: string }[] = [];
    const executor = scriptExecutor(SITE, cluster(), {
      finished: (jobId, _atMs, outcome, detail) => ends.push({ jobId, outcome, detail }),
    });
    const held: string[] = [];
    try {
      const lost = scriptJob("sleep 60");
      executor.start(lost, oneGpu("hall-a-r001-n01"), Date.now());
      const slurmJobId = await eventually("running", () =>
        executor.slurmRun(lost.id)?.gpusByNode ? executor.slurmRun(lost.id)!.slurmJobId : undefined,
      );
      await cluster().killController();
      await cluster().startControllerForgetting();
      // Another user's held jobs take the ids again, up to the one Fjord's run had.
      for (let id = 0; id < slurmJobId!; ) {
        const out = await cluster().client("sbatch", [
          "--parsable",
          "--hold",
          "--partition=fjord",
          "--job-name=someone-else",
          "--wrap=true",
        ]);
        id = Number.parseInt(out.trim(), 10);
        held.push(String(id));
      }
      await eventually(`${lost.id} ended`, () => ends.some((e) => e.jobId === lost.id), 60_000);
      expect(ends).toEqual([
        {
          jobId: lost.id,
          outcome: "interrupted",
          detail: `Slurm lost job ${slurmJobId} (its id now names "someone-else")`,
        },
      ]);
    } finally {
      if (held.length > 0)
        await cluster()
          .client("scancel", held)
          .catch(() => undefined);
      await executor.close();
    }
  }, 120_000);
});
