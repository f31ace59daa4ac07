// Slurm alone against Fjord deciding and Slurm executing, on the same job stream (slurm-job-stream.ts) and
// the same emulated cluster: 16 virtual nodes of 8 GPUs, real slurmctld and slurmd (test/fixtures/slurm).
//
// Slurm alone runs as a site would run it: priority/multifactor with the tiers as partitions over the same
// nodes (PriorityJobFactor 3, 2, 1; PriorityWeightPartition 1000, the only weight that works without
// slurmdbd), sched/backfill with Slurm 22.05's defaults. Fjord runs its control plane (tiers with
// guarantees, backfill) in front of a cluster configured as docs/slurm.md asks, through its Slurm executor.
//
// One protocol for both: every node is held by a blocker job Fjord did not submit; the whole stream is
// submitted at once; 10 s later the blockers are cancelled, so every node frees up together; the run ends
// when every job has ended. Times come from Slurm's own records of each job (whole seconds).
//
// Prints `bench slurm.side_by_side.<metric>.<slurm|fjord> <value> <unit>`: cycle time (Slurm's main
// scheduler and backfill from sdiag; Fjord's scheduling pass), jobs started in the 10 s after the nodes
// free up, mean and p95 wait per tier, GPU utilisation and makespan from the release.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SlurmExecutor } from "../src/executors/slurm-executor.ts";
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import type { Policy } from "../src/model/types.ts";
import { startControlPlane } from "../src/service/start-control-plane.ts";
import { openStore } from "../src/store/open-store.ts";
import { job as buildJob, policy, tenant, tier } from "../test/support/build.ts";
import { type SlurmCluster, startSlurmCluster } from "../test/support/slurm-daemons.ts";
import { percentile, report } from "./harness.ts";
import { type StreamJob, sideBySideStream, TIERS, type TierId } from "./slurm-job-stream.ts";

const NODES = 16;
const GPUS_PER_NODE = 8;
const HOLD_S = 10;
const STARTS_WINDOW_S = 10;
const RUN_TIMEOUT_MS = 12 * 60_000;
const NODE_NAMES = Array.from({ length: NODES }, (_, i) => {
  const rack = Math.floor(i / 4) + 1;
  return `hall-a-r${String(rack).padStart(3, "0")}-n${String((i % 4) + 1).padStart(2, "0")}`;
});
const PRIORITY_JOB_FACTOR = new Map<TierId, number>([
  ["national", 3],
  ["nordic-european", 2],
  ["global", 1],
]);

/** One job's run as Slurm recorded it, epoch seconds. */
interface Ran {
  tier: TierId;
  gpus: number;
  submitS: number;
  startS: number;
  endS: number;
}

interface SideResult {
  cycleMs: number;
  backfillCycleMs: number | null;
  ran: Ran[];
  releaseS: number;
}

export async function slurmSideBySideBench(): Promise<void> {
  const stream = sideBySideStream(40, 80);
  report("slurm.side_by_side.jobs", stream.length, "jobs");
  report("slurm.side_by_side.gpus", NODES * GPUS_PER_NODE, "gpus");
  const slurm = await withCluster("bench-slurm", (cluster) => slurmAlone(cluster, stream));
  const fjord = await withCluster("bench-fjord", (cluster) => fjordInFront(cluster, stream));
  for (const [side, result] of [
    ["slurm", slurm],
    ["fjord", fjord],
  ] as const)
    printSide(side, result);
}

async function withCluster<T>(name: string, body: (cluster: SlurmCluster) => Promise<T>): Promise<T> {
  const cluster = await startSlurmCluster({ name, nodeNames: NODE_NAMES, gpusPerNode: GPUS_PER_NODE });
  try {
    return await body(cluster);
  } finally {
    await cluster.stop();
  }
}

// --- Slurm alone ------------------------------------------------------------------------------------------

async function slurmAlone(cluster: SlurmCluster, stream: StreamJob[]): Promise<SideResult> {
  // A real site's scheduling: multifactor priority, the tiers as partitions over the same nodes.
  const nodes = "hall-a-r[001-004]-n[01-04]";
  const conf = readFileSync(cluster.slurmConf, "utf8")
    .replace("PriorityType=priority/basic", "PriorityType=priority/multifactor\nPriorityWeightPartition=1000")
    .concat(
      TIERS.map(
        (t) =>
          `PartitionName=${t} Nodes=${nodes} PriorityJobFactor=${PRIORITY_JOB_FACTOR.get(t)} MaxTime=INFINITE OverSubscribe=NO State=UP\n`,
      ).join(""),
    );
  writeFileSync(cluster.slurmConf, conf);
  await cluster.killController();
  await cluster.startController();
  await until("slurmctld back with the tier partitions", async () =>
    (await cluster.client("sinfo", ["--noheader", "--format=%P"]).catch(() => "")).includes("global"),
  );
  await block(cluster, "national");
  await cluster.client("sdiag", ["--reset"]);
  const ids = new Map<string, StreamJob>();
  for (const job of stream) {
    const args = [
      "--parsable",
      `--partition=${job.tier}`,
      `--job-name=ss-${job.name}`,
      "--nodes=1",
      `--gres=gpu:${job.gpus}`,
      ...(job.gpus === GPUS_PER_NODE ? ["--exclusive"] : []),
      `--time=${Math.ceil(job.limitS / 60)}`,
      "--output=/dev/null",
      `--wrap=sleep ${job.runS}`,
    ];
    ids.set((await cluster.client("sbatch", args)).trim().split(";")[0]!, job);
  }
  const releaseS = await release(cluster);
  const ran = await until(
    "Slurm alone to end every job",
    async () => {
      const views = await squeueJson(cluster);
      const mine = views.filter((v) => ids.has(String(v.job_id)));
      return mine.length === stream.length && mine.every((v) => v.end_time > 0 && ENDED.test(v.job_state))
        ? mine.map((v) => ranOf(v, ids.get(String(v.job_id))!, v.submit_time))
        : null;
    },
    RUN_TIMEOUT_MS,
  );
  const sdiag = await cluster.client("sdiag", []);
  return {
    cycleMs: sdiagMeanMs(sdiag, "Main schedule"),
    backfillCycleMs: sdiagMeanMs(sdiag, "Backfilling"),
    ran,
    releaseS,
  };
}

// --- Fjord deciding, Slurm executing ------------------------------------------------------------------------

async function fjordInFront(cluster: SlurmCluster, stream: StreamJob[]): Promise<SideResult> {
  const dir = mkdtempSync(join(tmpdir(), "fjord-bench-side-"));
  const facilityPath = join(dir, "facility.yaml");
  writeFileSync(facilityPath, FACILITY_YAML);
  const facility = loadFacilityFile(facilityPath);
  const store = await openStore({ dataDir: null });
  const runS = new Map<string, number>();
  const cp = await startControlPlane({
    store,
    facility,
    policy: FJORD_POLICY,
    executor: (clock, listener) =>
      new SlurmExecutor(clock, listener, facility, {
        siteId: "bench",
        slurmConf: cluster.slurmConf,
        partition: "fjord",
        pollIntervalMs: 500,
        commandFor: (job) => ({
          argv: ["sleep", String(runS.get(job.id) ?? 1)],
          workDir: "/tmp",
          outputPath: "/dev/null",
        }),
      }),
  });
  const passMs: number[] = [];
  let passes = cp.stats().passes;
  const sampler = setInterval(() => {
    const stats = cp.stats();
    if (stats.passes !== passes && stats.lastPassDurationMs !== null) passMs.push(stats.lastPassDurationMs);
    passes = stats.passes;
  }, 20);
  try {
    await block(cluster, "fjord");
    await until(
      "the blockers out of Fjord's placement",
      async () => cp.orphans().filter((o) => o.state === "RUNNING").length === NODES,
    );
    const streamOf = new Map<string, StreamJob>();
    const submittedS = new Map<string, number>();
    const principal = { keyId: "bench", role: "operator" as const, tenantId: null };
    for (const s of stream) {
      const job = buildJob(`t-${s.tier}`, {
        id: `job-${s.name}`,
        name: s.name,
        gpus: s.gpus,
        estimatedRuntimeS: s.runS,
        limitS: s.limitS,
        submittedAtMs: cp.nowMs(),
      });
      runS.set(job.id, s.runS);
      streamOf.set(`fjord-${job.id}`, s);
      submittedS.set(`fjord-${job.id}`, Math.floor(job.submittedAtMs / 1000));
      const outcome = await cp.submit(principal, job, null);
      if (!outcome.ok) throw new Error(`Fjord refused ${job.id}: ${outcome.reason}`);
    }
    const releaseS = await release(cluster);
    const ran = await until(
      "Fjord and Slurm to end every job",
      async () => {
        const mine = (await squeueJson(cluster)).filter((v) => streamOf.has(v.name));
        return mine.length === stream.length && mine.every((v) => v.end_time > 0 && ENDED.test(v.job_state))
          ? mine.map((v) => ranOf(v, streamOf.get(v.name)!, submittedS.get(v.name)!))
          : null;
      },
      RUN_TIMEOUT_MS,
    );
    // A mean, as sdiag's "Mean cycle" is.
    const meanPassMs = passMs.reduce((a, b) => a + b, 0) / Math.max(1, passMs.length);
    return { cycleMs: meanPassMs, backfillCycleMs: null, ran, releaseS };
  } finally {
    clearInterval(sampler);
    await cp.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FACILITY_YAML = `id: bench
nodeTypes:
  - { id: h100-8gpu, gpuModel: H100, gpusPerNode: ${GPUS_PER_NODE}, gpuMemoryGiB: 80, gpuIdlePowerW: 70, gpuMaxPowerW: 700, cpuCores: 8, memoryGiB: 1, nodeOverheadPowerW: 1500 }
sites:
  - id: bench
    country: NO
    jurisdictions: [NO, EEA]
    gridZone: NO4
    halls:
      - id: hall-a
        rackGroups:
          - { count: 4, nodeType: h100-8gpu, nodesPerRack: 4, nvlinkDomain: node, racksPerNetworkBlock: 4 }
`;

// The same tiers, in the same order, with guarantees that add up to the cluster and no preemption (Slurm
// alone preempts nothing either).
const FJORD_POLICY: Policy = policy(
  [
    tier("national", 32, { reclaimByPreemption: false }),
    tier("nordic-european", 64, { reclaimByPreemption: false }),
    tier("global", 32, { reclaimByPreemption: false }),
  ],
  TIERS.map((t) => tenant(`t-${t}`, t)),
);

// --- the protocol and what is read from Slurm -----------------------------------------------------------------

/** A whole-node job Fjord did not submit on every node, running before the stream comes. */
async function block(cluster: SlurmCluster, partition: string): Promise<void> {
  for (const node of NODE_NAMES)
    await cluster.client("sbatch", [
      `--partition=${partition}`,
      "--job-name=blocker",
      `--nodelist=${node}`,
      "--exclusive",
      `--gres=gpu:${GPUS_PER_NODE}`,
      "--output=/dev/null",
      "--wrap=sleep 3600",
    ]);
  await until("every blocker running", async () => {
    const states = await cluster.client("squeue", ["--noheader", "--name=blocker", "--format=%T"]);
    return (
      states
        .trim()
        .split("\n")
        .filter((s) => s === "RUNNING").length === NODES
    );
  });
}

/** Waits HOLD_S with the stream queued, then frees every node at once; the release in epoch seconds. */
async function release(cluster: SlurmCluster): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, HOLD_S * 1000));
  const releaseS = Date.now() / 1000;
  await cluster.client("scancel", ["--name=blocker"]);
  return releaseS;
}

interface SqueueJob {
  job_id: number;
  name: string;
  job_state: string;
  submit_time: number;
  start_time: number;
  end_time: number;
}

const ENDED = /^(COMPLETED|FAILED|TIMEOUT|CANCELLED|NODE_FAIL)$/;

async function squeueJson(cluster: SlurmCluster): Promise<SqueueJob[]> {
  const out = await cluster.client("squeue", ["--json", "--states=all"]);
  return (JSON.parse(out) as { jobs: SqueueJob[] }).jobs;
}

/** Slurm's record of one job of the stream; its GPUs as the stream asked (squeue shows no GRES once it ended). */
function ranOf(view: SqueueJob, job: StreamJob, submitS: number): Ran {
  return { tier: job.tier, gpus: job.gpus, submitS, startS: view.start_time, endS: view.end_time };
}

/** sdiag's "Mean cycle" of one section (µs) in ms. */
function sdiagMeanMs(sdiag: string, section: string): number {
  const from = sdiag.indexOf(section);
  const mean = /Mean cycle:\s+(\d+)/.exec(sdiag.slice(from))?.[1];
  return mean === undefined ? Number.NaN : Number(mean) / 1000;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`side-by-side bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function printSide(side: "slurm" | "fjord", result: SideResult): void {
  const name = (metric: string) => `slurm.side_by_side.${metric}.${side}`;
  report(name("cycle"), result.cycleMs, "ms");
  if (result.backfillCycleMs !== null && !Number.isNaN(result.backfillCycleMs))
    report(name("backfill_cycle"), result.backfillCycleMs, "ms");
  const { ran, releaseS } = result;
  // Slurm keeps whole seconds: a start in the release's second counts as after it.
  const started = ran.filter(
    (r) => r.startS >= Math.floor(releaseS) && r.startS < releaseS + STARTS_WINDOW_S,
  );
  report(name("starts_after_free"), started.length / STARTS_WINDOW_S, "jobs/s");
  for (const t of TIERS) {
    const waits = ran.filter((r) => r.tier === t).map((r) => r.startS - r.submitS);
    report(name(`wait_mean.${t}`), waits.reduce((a, b) => a + b, 0) / waits.length, "s");
    report(name(`wait_p95.${t}`), percentile(waits, 0.95), "s");
  }
  const lastEndS = Math.max(...ran.map((r) => r.endS));
  const makespanS = lastEndS - releaseS;
  const gpuS = ran.reduce((sum, r) => sum + r.gpus * (r.endS - r.startS), 0);
  report(name("utilisation"), (100 * gpuS) / (NODES * GPUS_PER_NODE * makespanS), "percent");
  report(name("makespan"), makespanS, "s");
}
