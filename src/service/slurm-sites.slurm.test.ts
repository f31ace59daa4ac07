// Fjord in front of two real Slurm clusters: the facility's site and a tenant's own cluster, each run by
// its own Slurm executor. Jobs go through the control plane (stored, scheduled, audited) and run on the
// cluster of the site Fjord chose; a preemption reaches the job as USR1 and requeues it in Fjord.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { job, policy, tenant, tier } from "../../test/support/build.ts";
import {
  demandSlurm,
  eventually,
  SLURM_TEST_FACILITY,
  scriptExecutor,
  useSiteCluster,
} from "../../test/support/slurm-cluster.ts";
import { PerSiteExecutor } from "../executors/per-site-executor.ts";
import { scontrolGpusByNode } from "../executors/slurm/slurm-job-view.ts";
import type { SlurmExecutor } from "../executors/slurm-executor.ts";
import type { Job } from "../model/types.ts";
import { openStore } from "../store/open-store.ts";
import type { Principal } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import type { LiveControlPlane } from "./live-control-plane.ts";
import { startControlPlane } from "./start-control-plane.ts";

const FACILITY = SLURM_TEST_FACILITY;
const NORTH = "fjord-north";
const AURORA = "aurora-onprem";
// aurora-labs is guaranteed the facility site's 16 GPUs and may take them back; falcon only borrows.
const POLICY = policy(
  [tier("national", 16), tier("global", 0, { reclaimByPreemption: false })],
  [tenant("aurora-labs", "national"), tenant("falcon", "global")],
  { preemption: { minRuntimeS: 1 } },
);
const OPERATOR: Principal = { keyId: "key_operator", role: "operator", tenantId: null };

const canRun = demandSlurm("src/service/slurm-sites.slurm.test.ts");

describe.skipIf(!canRun)("Fjord in front of two real Slurm clusters", () => {
  const north = useSiteCluster(NORTH, "north");
  const aurora = useSiteCluster(AURORA, "aurora");
  let store: Store;
  let cp: LiveControlPlane;
  const executors = new Map<string, SlurmExecutor>();

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    cp = await startControlPlane({
      store,
      facility: FACILITY,
      policy: POLICY,
      loop: { debounceMs: 5, fullPassIntervalMs: 500 },
      executor: (clock, listener) => {
        for (const [siteId, cluster] of [
          [NORTH, north()],
          [AURORA, aurora()],
        ] as const)
          executors.set(siteId, scriptExecutor(siteId, cluster, listener, clock));
        return new PerSiteExecutor(executors);
      },
    });
  });

  afterAll(async () => {
    await cp?.stop();
    await store?.close();
  });

  const submit = async (tenantId: string, script: string, over: Parameters<typeof job>[1]): Promise<Job> => {
    const j = { ...job(tenantId, { submittedAtMs: cp.nowMs(), ...over }), labels: { script } };
    expect(await cp.submit(OPERATOR, j, null)).toMatchObject({ ok: true, created: true });
    return j;
  };
  const stateOf = async (jobId: string) => (await store.getJob(jobId))?.state;
  const slurmJobs = async (cluster: () => { client: (p: string, a: string[]) => Promise<string> }, j: Job) =>
    (
      await cluster().client("squeue", [
        "--states=all",
        "--noheader",
        "--format=%T %N",
        `--name=fjord-${j.id}`,
      ])
    ).trim();

  it("runs a tenant's job on its own cluster and a job only the facility may hold at the facility", async () => {
    const onOwn = await submit("aurora-labs", "sleep 1", { gpus: 2, gpuModels: ["L40S"] });
    const inNorway = await submit("aurora-labs", "sleep 1", { gpus: 4, residency: ["NO"] });
    for (const j of [onOwn, inNorway])
      await eventually(`${j.id} completed`, async () => (await stateOf(j.id)) === "completed");
    const own = (await store.getJob(onOwn.id))!;
    expect(own.allocation!.siteId).toBe(AURORA);
    const ownNode = own.allocation!.nodes[0]!.nodeId.slice(`${AURORA}/`.length);
    expect(await slurmJobs(aurora, onOwn)).toBe(`COMPLETED ${ownNode}`);
    expect(await slurmJobs(north, onOwn)).toBe("");
    const norway = (await store.getJob(inNorway.id))!;
    expect(norway.allocation!.siteId).toBe(NORTH);
    expect(norway.allocation!.nodes.map((n) => n.gpus.length)).toEqual([4]);
    const northNode = norway.allocation!.nodes[0]!.nodeId.slice(`${NORTH}/`.length);
    expect(await slurmJobs(north, inNorway)).toBe(`COMPLETED ${northNode}`);
    const audit = await store.listAudit({ tenantId: "aurora-labs", limit: 100 });
    expect(audit.items.filter((e) => e.objectId === onOwn.id).map((e) => e.action)).toEqual([
      "job.submit",
      "job.start",
      "job.completed",
    ]);
  });

  it("stores a job that fails on the cluster as failed, with Slurm's word for it in the audit trail", async () => {
    const failing = await submit("aurora-labs", "exit 2", { gpus: 1, residency: ["NO"] });
    await eventually("failed", async () => (await stateOf(failing.id)) === "failed");
    const audit = await store.listAudit({ tenantId: "aurora-labs", limit: 100 });
    const entry = audit.items.find((e) => e.objectId === failing.id && e.action === "job.failed")!;
    expect(entry.details).toMatchObject({ detail: expect.stringMatching(/FAILED \(NonZeroExitCode/) });
  });

  it("preempts a borrower with USR1 so it checkpoints, requeues it, and cancels its next run", async () => {
    const checkpoint = join(north().workDir, "falcon-checkpoint");
    const borrower = await submit(
      "falcon",
      `trap 'echo saved >> ${checkpoint}; exit 0' USR1; while true; do sleep 0.2; done`,
      { nodes: 4, gpusPerNode: 4, residency: ["NO"] },
    );
    await eventually(
      "the borrower running on Slurm",
      () => executors.get(NORTH)!.slurmRun(borrower.id)?.gpusByNode,
    );
    const owner = await submit("aurora-labs", "sleep 1", { gpus: 4, residency: ["NO"] });
    await eventually("the checkpoint", () => existsSync(checkpoint), 20_000);
    expect(readFileSync(checkpoint, "utf8")).toBe("saved\n");
    await eventually("the owner completed", async () => (await stateOf(owner.id)) === "completed");
    const audit = await store.listAudit({ tenantId: "falcon", limit: 100 });
    expect(audit.items.filter((e) => e.objectId === borrower.id).map((e) => e.action)).toContain(
      "job.preempt",
    );
    // Its first run ended on the cluster on its own (exit 0 in its trap); Fjord runs it again.
    await eventually("the borrower's second run", async () => {
      const runs = await slurmJobs(north, borrower);
      return runs.split("\n").length === 2 && runs.includes("RUNNING") ? runs : null;
    });
    expect(await cp.cancel(OPERATOR, borrower.id)).toMatchObject({ ok: true });
    await eventually("both runs ended", async () => {
      const states = (await slurmJobs(north, borrower)).split("\n").map((l) => l.split(" ")[0]);
      return states.sort().join() === "CANCELLED,COMPLETED";
    });
    expect(await stateOf(borrower.id)).toBe("cancelled");
  });

  it("runs a job's own command as given, in its directory, with its environment and output paths", async () => {
    const dir = join(north().workDir, "own command");
    mkdirSync(dir);
    const hostile = `$(touch ${dir}/pwned); \`id\` 'q' "dq" \\ ø 🚀 *`;
    const own = {
      ...job("aurora-labs", { gpus: 1, residency: ["NO"], submittedAtMs: cp.nowMs() }),
      command: {
        argv: [
          "/bin/sh",
          "-c",
          'printf "%s\\n" "$1" "$GREETING" "$(pwd)" "$FJORD_JOB_ID"; echo oops >&2',
          "sh",
          hostile,
        ],
        workDir: dir,
        env: [{ name: "GREETING", value: "hei på deg $HOME" }],
        stdoutPath: join(dir, "%x.stdout"),
        stderrPath: join(dir, "%x.stderr"),
      },
    };
    expect(await cp.submit(OPERATOR, own, null)).toMatchObject({ ok: true });
    await eventually("completed", async () => (await stateOf(own.id)) === "completed");
    expect(readFileSync(join(dir, `fjord-${own.id}.stdout`), "utf8")).toBe(
      `${hostile}\nhei på deg $HOME\n${dir}\n${own.id}\n`,
    );
    expect(readFileSync(join(dir, `fjord-${own.id}.stderr`), "utf8")).toBe("oops\n");
    expect(existsSync(join(dir, "pwned"))).toBe(false);
  });

  it("requeues a run its node lost (NODE_FAIL) once, runs it again, and keeps the GPUs Slurm gave", async () => {
    const marker = join(north().workDir, "node-fail-first-run");
    // The first run waits for its node to go; the second finds the marker and ends at once.
    const lost = await submit("aurora-labs", `[ -e ${marker} ] && exit 0; touch ${marker}; sleep 120`, {
      gpus: 2,
      residency: ["NO"],
    });
    await eventually("Slurm's GPUs stored", async () => (await store.getJob(lost.id))?.clusterGpus);
    const running = (await store.getJob(lost.id))!;
    const slurmGpus = executors.get(NORTH)!.slurmRun(lost.id)!.gpusByNode!;
    expect(running.clusterGpus).toEqual(
      [...slurmGpus].map(([name, gpus]) => ({ nodeId: `${NORTH}/${name}`, gpus })),
    );
    expect(running.clusterGpus!.map((n) => n.nodeId)).toEqual(running.allocation!.nodes.map((n) => n.nodeId));
    // scontrol show job -d, read when squeue gives no indices, says the same.
    const slurmJobId = executors.get(NORTH)!.slurmRun(lost.id)!.slurmJobId!;
    const detail = await north().client("scontrol", ["show", "job", "-d", String(slurmJobId)]);
    expect(scontrolGpusByNode(detail)).toEqual(slurmGpus);
    const node = running.allocation!.nodes[0]!.nodeId.slice(`${NORTH}/`.length);
    await eventually("the marker", () => existsSync(marker));
    await north().client("scontrol", ["update", `NodeName=${node}`, "State=DOWN", "Reason=fjord-test"]);
    try {
      await eventually("completed", async () => (await stateOf(lost.id)) === "completed", 30_000);
    } finally {
      // Slurm may already have taken the node back (ReturnToService=2): then there is nothing to resume.
      await north()
        .client("scontrol", ["update", `NodeName=${node}`, "State=RESUME"])
        .catch(() => undefined);
    }
    const record = (await store.getJob(lost.id))!;
    expect(record.restarts).toBe(1);
    const audit = await store.listAudit({ tenantId: "aurora-labs", limit: 1000 });
    const entries = audit.items.filter((e) => e.objectId === lost.id);
    expect(entries.map((e) => e.action)).toEqual([
      "job.submit",
      "job.start",
      "job.requeue",
      "job.start",
      "job.completed",
    ]);
    expect(entries[2]!.details).toMatchObject({ detail: expect.stringMatching(/NODE_FAIL/) });
    const runs = (await slurmJobs(north, lost)).split("\n").map((l) => l.split(" ")[0]);
    expect(runs.sort()).toEqual(["COMPLETED", "NODE_FAIL"]);
  });

  it("places no work on nodes Slurm drained, and places it there again once they are resumed", async () => {
    const drained = "hall-a-r001-n[01-03]";
    await north().client("scontrol", ["update", `NodeName=${drained}`, "State=DRAIN", "Reason=fjord-test"]);
    let second: Job;
    try {
      await eventually(
        "the drained nodes out of placement",
        () =>
          executors.get(NORTH)!.unavailableNodes().join() ===
          ["01", "02", "03"].map((n) => `${NORTH}/hall-a-r001-n${n}`).join(),
      );
      const first = await submit("aurora-labs", "sleep 8", { gpus: 4, residency: ["NO"] });
      second = await submit("aurora-labs", "sleep 1", { gpus: 4, residency: ["NO"] });
      await eventually("the first running", async () => (await stateOf(first.id)) === "running");
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const nodesOf = async (j: Job) => (await store.getJob(j.id))!.allocation!.nodes.map((n) => n.nodeId);
      expect(await nodesOf(first)).toEqual([`${NORTH}/hall-a-r001-n04`]);
      expect(await stateOf(second.id)).toBe("queued");
    } finally {
      await north().client("scontrol", ["update", `NodeName=${drained}`, "State=RESUME"]);
    }
    // Resumed while the first still holds n04: the second starts on a node that was drained.
    await eventually("the second completed", async () => (await stateOf(second.id)) === "completed", 20_000);
    const node = (await store.getJob(second.id))!.allocation!.nodes[0]!.nodeId;
    expect(node).toMatch(/hall-a-r001-n0[123]$/);
  });

  it("never schedules over a job it did not submit, and cancels a leftover run of its own", async () => {
    const others = "hall-a-r001-n[01,03-04]";
    const sbatch = (args: string[]) =>
      north().client("sbatch", [
        "--parsable",
        "--partition=fjord",
        "--nodelist=hall-a-r001-n02",
        "--gres=gpu:1",
        "--output=/dev/null",
        ...args,
      ]);
    const foreign = (await sbatch(["--job-name=someone-else", "--wrap=sleep 60"])).trim();
    const leftover = (
      await sbatch(["--job-name=fjord-ghost", "--comment=fjord-run:1", "--wrap=sleep 60"])
    ).trim();
    await north().client("scontrol", ["update", `NodeName=${others}`, "State=DRAIN", "Reason=fjord-test"]);
    let waiting: Job;
    try {
      const northExecutor = executors.get(NORTH)!;
      // Shown as the control plane's (and so the API's) once Slurm runs it.
      const orphan = await eventually("the orphan running", () =>
        cp.orphans().find((o) => o.clusterJobId === foreign && o.state === "RUNNING"),
      );
      expect(orphan).toEqual({
        siteId: NORTH,
        clusterJobId: foreign,
        name: "someone-else",
        state: "RUNNING",
        nodeIds: [`${NORTH}/hall-a-r001-n02`],
      });
      // Its node leaves placement with the poll that saw it: a start decided before that may still use it.
      await eventually("its node out of placement", () =>
        northExecutor.unavailableNodes().includes(`${NORTH}/hall-a-r001-n02`),
      );
      const states = async (id: string) =>
        (
          await north().client("squeue", ["--states=all", "--noheader", "--format=%T", `--jobs=${id}`])
        ).trim();
      await eventually("the leftover cancelled", async () => (await states(leftover)) === "CANCELLED");
      waiting = await submit("aurora-labs", "sleep 1", { gpus: 1, residency: ["NO"] });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await stateOf(waiting.id)).toBe("queued");
      expect(await states(foreign)).toBe("RUNNING");
    } finally {
      await north().client("scancel", [foreign]);
      await north().client("scontrol", ["update", `NodeName=${others}`, "State=RESUME"]);
    }
    await eventually(
      "the waiting job completed",
      async () => (await stateOf(waiting.id)) === "completed",
      20_000,
    );
  });
});
