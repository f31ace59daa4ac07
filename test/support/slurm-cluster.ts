// Real Slurm clusters for the Slurm tests: test/fixtures/slurm/cluster.sh starts slurmctld and one slurmd
// per virtual GPU node in a temp folder, on free ports of 127.0.0.1, and stops every process it started,
// by PID, after the file's tests. Several clusters may run at once (a facility site and a tenant's own).
// Without Slurm installed (or munged running) the Slurm tests are skipped with a loud warning, except in CI
// (CI=true), where they fail: .ci/run installs the packages and starts munged.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, it } from "vitest";
import type { ExecutorListener } from "../../src/executors/executor.ts";
import { siteCommand } from "../../src/executors/site-executors.ts";
import { SlurmExecutor, type SlurmSiteOptions } from "../../src/executors/slurm-executor.ts";
import { loadFacilityFile } from "../../src/facility/load-facility-file.ts";
import { siteExecutorSchema } from "../../src/facility/site-executor-schema.ts";
import { type ServiceClock, serviceClock } from "../../src/service/service-clock.ts";
import { IN_CI } from "./postgres.ts";
import { type SlurmCluster, type SlurmClusterSpec, startSlurmCluster } from "./slurm-daemons.ts";

export { type SlurmCluster, type SlurmClusterSpec, startSlurmCluster };

// Where Debian puts the daemons; FJORD_SLURM_SBIN points elsewhere (another install, or a missing path to
// try the skip). cluster.sh reads it too.
const SBIN = process.env.FJORD_SLURM_SBIN ?? "/usr/sbin";

/** Why Slurm tests cannot run here; null when they can. */
export function slurmProblem(): string | null {
  for (const daemon of [join(SBIN, "slurmctld-wlm"), join(SBIN, "slurmd-wlm"), "/usr/bin/sbatch"])
    if (!existsSync(daemon))
      return `${daemon} is missing (apt-get install slurmctld slurmd slurm-client munge)`;
  try {
    execFileSync("munge", ["-n"], { stdio: ["ignore", "ignore", "pipe"] });
  } catch {
    return "munge -n fails: munged is not running (start it as .ci/run does)";
  }
  if (process.getuid?.() !== 0) return "the test clusters need root (mknod, SlurmUser=root)";
  return null;
}

/**
 * Call at the top of a Slurm test file: true when its tests can run. Otherwise a loud warning (locally) or
 * a failing test (in CI), and false: the caller skips its tests.
 */
export function demandSlurm(testFile: string): boolean {
  const problem = slurmProblem();
  if (problem === null) return true;
  if (IN_CI) {
    it("has real Slurm daemons to test against", () => {
      throw new Error(`Slurm cannot run here: ${problem}; CI must run the Slurm tests`);
    });
  } else {
    console.warn(
      [
        "",
        "!".repeat(100),
        `!! ${testFile}: Slurm cannot run here (${problem}).`,
        "!! Its tests against real Slurm daemons are SKIPPED: they did NOT run. See test/fixtures/slurm/README.md.",
        "!".repeat(100),
        "",
      ].join("\n"),
    );
  }
  return false;
}

/**
 * A cluster for the calling describe block: started before its tests, stopped (every daemon and job step,
 * by PID) after them. Call at describe level; the getter gives the cluster inside tests.
 */
export function useSlurmCluster(spec: SlurmClusterSpec): () => SlurmCluster {
  let cluster: SlurmCluster | null = null;
  beforeAll(async () => {
    cluster = await startSlurmCluster(spec);
  });
  afterAll(() => cluster?.stop());
  return () => {
    if (cluster === null) throw new Error(`cluster ${spec.name} is not running`);
    return cluster;
  };
}

/** The facility of the Slurm tests (test/fixtures/slurm/facility.yaml): each of its sites is one cluster. */
export const SLURM_TEST_FACILITY = loadFacilityFile(
  join(import.meta.dirname, "..", "fixtures", "slurm", "facility.yaml"),
);

/** useSlurmCluster for one site of SLURM_TEST_FACILITY: a Slurm node per Fjord node, named without `site/`. */
export function useSiteCluster(siteId: string, name: string): () => SlurmCluster {
  const nodes = SLURM_TEST_FACILITY.nodes.filter((n) => n.siteId === siteId);
  const nodeType = SLURM_TEST_FACILITY.nodeTypes.find((t) => t.id === nodes[0]?.nodeTypeId);
  if (!nodeType) throw new Error(`no nodes at site ${siteId}`);
  return useSlurmCluster({
    name,
    nodeNames: nodes.map((n) => n.id.slice(siteId.length + 1)),
    gpusPerNode: nodeType.gpusPerNode,
  });
}

/** Polls `probe` until it gives a value (not null, undefined or false); fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A test site's executor options: a job that gives a command runs it as the site's executor runs it in
 * `fjord serve` (site-executors.ts), with the cluster's workDir as the site's; any other job runs the shell
 * script in its `script` label, in the cluster's workDir, with FJORD_JOB set to its id and its output in
 * `<workDir>/<job id>.out`. Quick polls and a 10 s preemption grace.
 */
export function scriptSite(siteId: string, cluster: SlurmCluster): SlurmSiteOptions {
  const { workDir } = cluster;
  const config = siteExecutorSchema.parse({ kind: "slurm", slurmConf: cluster.slurmConf, run: { workDir } });
  return {
    siteId,
    slurmConf: cluster.slurmConf,
    partition: "fjord",
    pollIntervalMs: 250,
    preemptGraceS: 10,
    commandFor: (j) =>
      j.command != null && config !== "simulated"
        ? siteCommand(config, j)
        : {
            argv: ["sh", "-c", j.labels.script!],
            workDir,
            env: { FJORD_JOB: j.id },
            outputPath: join(workDir, `${j.id}.out`),
          },
  };
}

/** A Slurm executor for one site of SLURM_TEST_FACILITY on its cluster, running scriptSite jobs. */
export function scriptExecutor(
  siteId: string,
  cluster: SlurmCluster,
  listener: ExecutorListener,
  clock: ServiceClock = serviceClock({ speed: 1, resumeAtMs: null }),
): SlurmExecutor {
  return new SlurmExecutor(clock, listener, SLURM_TEST_FACILITY, scriptSite(siteId, cluster));
}
