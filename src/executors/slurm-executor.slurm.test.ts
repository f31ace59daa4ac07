// The Slurm executor against real Slurm daemons (test/fixtures/slurm/cluster.sh): every start runs on
// exactly the nodes and GPU counts Fjord chose, and every way a job can end comes back right.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { job } from "../../test/support/build.ts";
import {
  demandSlurm,
  eventually,
  type SlurmCluster,
  scriptExecutor,
  useSiteCluster,
} from "../../test/support/slurm-cluster.ts";
import type { Allocation, Job } from "../model/types.ts";
import type { ExecutorOutcome } from "./executor.ts";
import type { SlurmExecutor } from "./slurm-executor.ts";

const SITE = "fjord-north";
const node = (n: number) => `${SITE}/hall-a-r001-n0${n}`;
const slurmNode = (n: number) => `hall-a-r001-n0${n}`;

interface End {
  jobId: string;
  atMs: number;
  outcome: ExecutorOutcome;
  detail: string | undefined;
}

/** A test job running `script` under sh; its output goes to `<cluster workDir>/<job id>.out`. */
function shellJob(script: string, over: Partial<Job> = {}): Job {
  return { ...job("aurora-labs", { limitS: 600, ...over }), labels: { script } };
}

function allocation(...nodes: [number, number][]): Allocation {
  return {
    siteId: SITE,
    nodes: nodes.map(([n, gpus]) => ({ nodeId: node(n), gpus: Array.from({ length: gpus }, (_, i) => i) })),
  };
}

const canRun = demandSlurm("src/executors/slurm-executor.slurm.test.ts");

describe.skipIf(!canRun)("the Slurm executor on a real cluster", () => {
  const cluster = useSiteCluster(SITE, "fjordnorth");
  const ends: End[] = [];
  let executor: SlurmExecutor;

  const makeExecutor = () =>
    scriptExecutor(SITE, cluster(), {
      finished: (jobId, atMs, outcome, detail) => ends.push({ jobId, atMs, outcome, detail }),
    });

  // Slurm counts limits in whole minutes and checks them every 30 s: this job runs into its limit while
  // the other tests run, on a GPU none of them needs.
  const overrun = shellJob("sleep 600", { limitS: 60 });
  const overrunStartedAtMs = Date.now();

  beforeAll(() => {
    executor = makeExecutor();
    executor.start(overrun, allocation([2, 1]), overrunStartedAtMs);
  });

  afterAll(async () => {
    await executor?.close();
  });

  /** Starts the job and waits until Slurm runs it; its Slurm job id. */
  const startRunning = async (j: Job, on: Allocation) => {
    executor.start(j, on, Date.now());
    await eventually("running", () => executor.slurmRun(j.id)?.gpusByNode);
    return executor.slurmRun(j.id)!.slurmJobId!;
  };
  const endOf = (jobId: string) => ends.find((e) => e.jobId === jobId);
  const output = (jobId: string) => readFileSync(join(cluster().workDir, `${jobId}.out`), "utf8");

  it("runs a job on exactly the nodes and GPU count Fjord chose, and reports it completed", async () => {
    const gang = shellJob('echo "$SLURMD_NODENAME gpus=$CUDA_VISIBLE_DEVICES job=$FJORD_JOB"; sleep 3');
    const startedAtMs = Date.now();
    executor.start(gang, allocation([1, 2], [3, 2]), startedAtMs);
    const gpus = await eventually("Slurm's GPUs", () => executor.slurmRun(gang.id)?.gpusByNode);
    expect(Object.fromEntries(gpus)).toEqual({ [slurmNode(1)]: [0, 1], [slurmNode(3)]: [0, 1] });
    const end = await eventually("the end", () => endOf(gang.id));
    expect(end.outcome).toBe("completed");
    expect(end.detail).toMatch(/COMPLETED/);
    expect(end.atMs).toBeGreaterThanOrEqual(startedAtMs);
    expect(end.atMs).toBeLessThanOrEqual(Date.now());
    // The batch script runs on the first node; it saw the two GPUs and the environment Fjord gave.
    expect(output(gang.id)).toBe(`${slurmNode(1)} gpus=0,1 job=${gang.id}\n`);
  });

  it("gives a whole node exclusively, every GPU of it", async () => {
    const whole = shellJob("sleep 2");
    executor.start(whole, allocation([4, 4]), Date.now());
    const gpus = await eventually("Slurm's GPUs", () => executor.slurmRun(whole.id)?.gpusByNode);
    expect(Object.fromEntries(gpus)).toEqual({ [slurmNode(4)]: [0, 1, 2, 3] });
    const slurmJobId = executor.slurmRun(whole.id)!.slurmJobId!;
    expect(await cluster().client("scontrol", ["show", "job", String(slurmJobId)])).toMatch(
      /OverSubscribe=NO\b/,
    );
    expect((await eventually("the end", () => endOf(whole.id))).outcome).toBe("completed");
  });

  it("reports a job that exits non-zero as failed, with Slurm's state", async () => {
    const failing = shellJob("exit 3");
    executor.start(failing, allocation([2, 1]), Date.now());
    const end = await eventually("the end", () => endOf(failing.id));
    expect(end.outcome).toBe("failed");
    expect(end.detail).toMatch(/FAILED \(NonZeroExitCode, exit status 768\)/);
  });

  it("reports a job Slurm refuses as failed at once", async () => {
    const tooBig = shellJob("true");
    executor.start(tooBig, allocation([2, 5]), Date.now());
    const end = await eventually("the end", () => endOf(tooBig.id));
    expect(end.outcome).toBe("failed");
    expect(end.detail).toMatch(/Slurm refused the job/);
  });

  it("cancels a running job: Slurm ends it and Fjord hears no end of it", async () => {
    const long = shellJob("sleep 300");
    const slurmJobId = await startRunning(long, allocation([2, 1]));
    executor.stop(long.id, "cancelled");
    const state = await slurmState(cluster(), slurmJobId, ["CANCELLED"]);
    expect(state).toBe("CANCELLED");
    expect(endOf(long.id)).toBeUndefined();
  });

  it("preempts with USR1 first, so the job checkpoints before it is stopped", async () => {
    const checkpoint = join(cluster().workDir, "checkpoint");
    const preemptible = shellJob(
      `trap 'echo "saved at step $i" > ${checkpoint}; exit 0' USR1; i=0; while true; do i=$((i+1)); sleep 0.2; done`,
    );
    const slurmJobId = await startRunning(preemptible, allocation([3, 2]));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    executor.stop(preemptible.id, "preempted");
    await eventually("the checkpoint", () => existsSync(checkpoint), 10_000);
    expect(readFileSync(checkpoint, "utf8")).toMatch(/^saved at step \d+\n$/);
    // It ended on its own within the grace (exit 0 in its trap); Fjord requeues it, so no end is reported.
    expect(await slurmState(cluster(), slurmJobId, ["COMPLETED", "CANCELLED"])).toBe("COMPLETED");
    expect(endOf(preemptible.id)).toBeUndefined();
  });

  it("cancels a preempted job that ignores USR1 once its grace is over", async () => {
    const stubborn = shellJob("trap '' USR1; sleep 300");
    const slurmJobId = await startRunning(stubborn, allocation([3, 1]));
    const stoppedAtMs = Date.now();
    executor.stop(stubborn.id, "preempted");
    expect(await slurmState(cluster(), slurmJobId, ["CANCELLED"], 30_000)).toBe("CANCELLED");
    expect(Date.now() - stoppedAtMs).toBeGreaterThanOrEqual(10_000);
    expect(endOf(stubborn.id)).toBeUndefined();
  });

  it("finds its jobs again after a restart instead of submitting them twice", async () => {
    const adopted = shellJob("sleep 4");
    const startedAtMs = Date.now();
    executor.start(adopted, allocation([1, 1]), startedAtMs);
    const slurmJobId = await eventually("submitted", () => executor.slurmRun(adopted.id)?.slurmJobId);
    await executor.close();
    // As the control plane does after a restart: every job it holds running is started again.
    executor = makeExecutor();
    executor.start(overrun, allocation([2, 1]), overrunStartedAtMs);
    executor.start(adopted, allocation([1, 1]), startedAtMs);
    expect((await eventually("the end", () => endOf(adopted.id))).outcome).toBe("completed");
    const named = await cluster().client("squeue", [
      "--states=all",
      "--noheader",
      "--format=%i",
      `--name=fjord-${adopted.id}`,
    ]);
    expect(named.trim().split("\n")).toEqual([String(slurmJobId)]);
    expect(ends.filter((e) => e.jobId === adopted.id)).toHaveLength(1);
  });

  it("reports a job that reaches its time limit as failed with TIMEOUT", async () => {
    const end = await eventually("the end", () => endOf(overrun.id), 150_000);
    expect(end.outcome).toBe("failed");
    expect(end.detail).toMatch(/TIMEOUT/);
  }, 180_000);
});

/** Waits until Slurm reports one of `states` for the job, and returns it. */
async function slurmState(cluster: SlurmCluster, slurmJobId: number, states: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (
      await cluster.client("squeue", ["--states=all", "--noheader", "--format=%T", `--jobs=${slurmJobId}`])
    ).trim();
    if (states.includes(state) || Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
