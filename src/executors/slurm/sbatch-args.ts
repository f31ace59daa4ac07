// The sbatch call for one start decision: the job pinned to exactly the nodes Fjord chose, with the GPU
// count Fjord chose on each, its time limit, and the command it runs. Arguments are an array for
// execFile: nothing here passes through a shell. The job's argv follows the batch script (which sets the
// job's environment and ends in `exec "$@"`), so sbatch hands it to the job unchanged. The job's
// environment is never sbatch's own: sbatch reads PATH, LD_* and SBATCH_* variables itself, and a
// tenant's variables there would run code as Fjord or override the placement Fjord chose.
import type { Allocation, Job } from "../../model/types.ts";

/** What a job runs on the cluster. */
export interface SlurmCommand {
  argv: string[];
  /** Absolute working directory on the cluster's nodes. */
  workDir: string;
  /** Environment of the job (besides Slurm's own SLURM_* variables); nothing of Fjord's leaks in. */
  env?: Record<string, string>;
  /** Where stdout and stderr go (Slurm's %j patterns apply); default: Slurm's slurm-%j.out in workDir. */
  outputPath?: string;
  /** Where stderr goes; default: with stdout. */
  errorPath?: string;
}

export interface SbatchTarget {
  partition: string;
  /** Slurm's name of each Fjord node id. */
  nodeName: (nodeId: string) => string;
  /** GPUs of each Fjord node, to tell a whole node (submitted --exclusive) from a share of one. */
  gpusOnNode: (nodeId: string) => number;
  /** The fixed batch script that runs the job's argv. */
  scriptPath: string;
}

/** Slurm's name of a site's Fjord node by default: its id without the `site/` prefix. */
export function siteNodeName(siteId: string): (nodeId: string) => string {
  const prefix = `${siteId}/`;
  return (nodeId) => (nodeId.startsWith(prefix) ? nodeId.slice(prefix.length) : nodeId);
}

/** Slurm job name of a Fjord job; the comment tells its runs apart (a requeued job starts again). */
export function slurmJobName(jobId: string): string {
  return `fjord-${jobId}`;
}

export function runComment(startedAtMs: number): string {
  return `fjord-run:${startedAtMs}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function sbatchArgs(
  job: Job,
  allocation: Allocation,
  startedAtMs: number,
  command: SlurmCommand,
  target: SbatchTarget,
): string[] {
  if (command.argv.length === 0) throw new Error(`job ${job.id} has no command to run`);
  // execve cannot pass a NUL; the API refuses one, this keeps any other caller from truncating an argument.
  if (command.argv.some((arg) => arg.includes("\u0000")))
    throw new Error(`job ${job.id}: an argument contains a NUL character`);
  if (!command.workDir.startsWith("/")) throw new Error(`job ${job.id}: workDir must be absolute`);
  const perNode = new Set(allocation.nodes.map((n) => n.gpus.length));
  if (perNode.size !== 1)
    throw new Error(
      `job ${job.id}: Slurm takes one GPU count per node, Fjord chose ${[...perNode].join(" and ")} on different nodes`,
    );
  const gpusPerNode = allocation.nodes[0]!.gpus.length;
  const wholeNodes = allocation.nodes.every((n) => n.gpus.length === target.gpusOnNode(n.nodeId));
  return [
    "--parsable",
    `--job-name=${slurmJobName(job.id)}`,
    `--comment=${runComment(startedAtMs)}`,
    `--partition=${target.partition}`,
    `--nodelist=${allocation.nodes.map((n) => target.nodeName(n.nodeId)).join(",")}`,
    `--nodes=${allocation.nodes.length}`,
    ...(gpusPerNode > 0 ? [`--gres=gpu:${gpusPerNode}`] : []),
    ...(wholeNodes ? ["--exclusive"] : []),
    // Slurm counts time limits in whole minutes.
    `--time=${Math.max(1, Math.ceil(job.limitS / 60))}`,
    // Fjord requeues a run its node lost; Slurm doing so too would run the job twice.
    "--no-requeue",
    `--chdir=${command.workDir}`,
    ...(command.outputPath === undefined ? [] : [`--output=${command.outputPath}`]),
    ...(command.errorPath === undefined ? [] : [`--error=${command.errorPath}`]),
    "--export=ALL",
    target.scriptPath,
    ...command.argv,
  ];
}

/** The environment sbatch itself runs in: fixed, nothing of the job's (see the file's header). */
export function sbatchEnvironment(slurmConf: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", SLURM_CONF: slurmConf };
}

/**
 * The batch script of one run: it exports the job's variables, each value in single quotes (a quote in
 * it written as '\'', so no value is ever read as shell code), then runs the job's argv as given.
 */
export function batchScript(command: SlurmCommand): string {
  const lines = [
    "#!/bin/sh",
    "# Fjord: the job's environment, then its argv as given (sbatch passes it after the script).",
  ];
  for (const [name, value] of Object.entries(command.env ?? {})) {
    if (!ENV_NAME.test(name))
      throw new Error(`environment variable name ${JSON.stringify(name)} is not valid`);
    if (value.includes("\u0000")) throw new Error(`environment variable ${name} contains a NUL character`);
    lines.push(`export ${name}='${value.replaceAll("'", "'\\''")}'`);
  }
  lines.push('exec "$@"', "");
  return lines.join("\n");
}
