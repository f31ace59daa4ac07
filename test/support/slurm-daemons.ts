// Real Slurm daemons on this machine, started and stopped by test/fixtures/slurm/cluster.sh: a cluster of
// virtual GPU nodes in a temp folder, on free ports of 127.0.0.1. No test framework here, so the Slurm
// tests (slurm-cluster.ts) and the side-by-side benchmark (bench/) share it.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "..", "fixtures", "slurm", "cluster.sh");

export interface SlurmClusterSpec {
  name: string;
  /** Slurm's node names, e.g. those of a Fjord site's nodes without the `site/` prefix. */
  nodeNames: string[];
  gpusPerNode: number;
}

export interface SlurmCluster {
  name: string;
  dir: string;
  slurmConf: string;
  /** A folder for the jobs' files (inside dir, gone with the cluster). */
  workDir: string;
  /** A Slurm client command against this cluster (squeue, scontrol, sinfo, …); its stdout. */
  client(program: string, args: string[]): Promise<string>;
  /** SIGKILL to slurmctld, as in a crash. */
  killController(): Promise<void>;
  /** slurmctld started again from its saved state. */
  startController(): Promise<void>;
  /** Starts slurmctld again without its saved state: it knows no job and gives job ids out afresh. */
  startControllerForgetting(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a cluster; the caller stops it. */
export async function startSlurmCluster(spec: SlurmClusterSpec): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), `fjord-slurm-${spec.name}-`));
  const ports = await freePorts(1 + spec.nodeNames.length);
  const stop = async () => {
    await run(SCRIPT, ["stop", dir]);
    rmSync(dir, { recursive: true, force: true });
  };
  const env = { ...process.env, SLURM_CONF: join(dir, "slurm.conf") };
  await run(
    SCRIPT,
    [
      "start",
      dir,
      "--name",
      spec.name,
      "--ctld-port",
      String(ports),
      "--slurmd-port",
      String(ports + 1),
      "--nodes",
      spec.nodeNames.join(","),
      "--gpus-per-node",
      String(spec.gpusPerNode),
    ],
    { env },
  );
  const workDir = join(dir, "work");
  mkdirSync(workDir);
  return {
    name: spec.name,
    dir,
    slurmConf: env.SLURM_CONF,
    workDir,
    client: async (program, args) => (await run(program, args, { env })).stdout,
    killController: async () => void (await run(SCRIPT, ["kill-controller", dir])),
    startController: async () => void (await run(SCRIPT, ["start-controller", dir])),
    startControllerForgetting: async () => void (await run(SCRIPT, ["start-controller-forgetting", dir])),
    stop,
  };
}

/** The first of `count` consecutive free TCP ports on 127.0.0.1, in a range tests do not otherwise use. */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await portFree(p);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
