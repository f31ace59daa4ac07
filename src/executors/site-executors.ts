// The executor `fjord serve` runs, from each site's `executor:` in the facility file: the simulated one
// for every site that names no cluster, a Slurm executor for each site that does.
import type { SiteExecutorConfig, SlurmSiteConfig } from "../facility/site-executor-schema.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import type { Facility, Job } from "../model/types.ts";
import type { ServiceClock } from "../service/service-clock.ts";
import type { Executor, ExecutorListener } from "./executor.ts";
import { PerSiteExecutor } from "./per-site-executor.ts";
import { SimulatedExecutor } from "./simulated-executor.ts";
import { type SlurmCommand, siteNodeName } from "./slurm/sbatch-args.ts";
import { SlurmCommandError } from "./slurm/slurm-cli.ts";
import { slurmSiteProblems } from "./slurm/slurm-site-check.ts";
import { SlurmExecutor } from "./slurm-executor.ts";

export function siteExecutors(
  facility: Facility,
  configs: ReadonlyMap<string, SiteExecutorConfig>,
  clock: ServiceClock,
  listener: ExecutorListener,
): Executor {
  const simulated = new SimulatedExecutor(clock, listener);
  const slurmSites = [...configs].filter((e): e is [string, SlurmSiteConfig] => e[1] !== "simulated");
  if (slurmSites.length === 0) return simulated;
  const bySite = new Map<string, Executor>(facility.sites.map((s) => [s.id, simulated]));
  for (const [siteId, config] of slurmSites)
    bySite.set(
      siteId,
      new SlurmExecutor(clock, listener, facility, {
        siteId,
        slurmConf: config.slurmConf,
        partition: config.partition,
        preemptGraceS: config.preemptGrace,
        nodeName: slurmNodeNamer(facility, siteId, config),
        commandFor: (job) => siteCommand(config, job),
      }),
    );
  return new PerSiteExecutor(bySite);
}

/**
 * What a job runs at a Slurm site: its own command, or the site's default one, told which job it runs
 * through its environment; null when the job gives no command and the site has no default.
 */
export function siteCommand(config: SlurmSiteConfig, job: Job): SlurmCommand | null {
  const own = job.command ?? null;
  const argv = own?.argv ?? config.run.argv;
  if (argv === undefined) return null;
  const outputPath = own?.stdoutPath ?? config.run.output;
  const errorPath = own?.stderrPath ?? undefined;
  return {
    argv,
    workDir: own?.workDir ?? config.run.workDir,
    ...(outputPath === undefined ? {} : { outputPath }),
    ...(errorPath === undefined ? {} : { errorPath }),
    // The job's own variables cannot be named FJORD_* (the schema refuses them), so these always win.
    env: Object.fromEntries([
      ...(own?.env ?? []).map((v) => [v.name, v.value] as const),
      ["FJORD_JOB_ID", job.id],
      ["FJORD_JOB_NAME", job.name],
      ["FJORD_TENANT_ID", job.tenantId],
      ["FJORD_JOB_LABELS", JSON.stringify(job.labels)],
    ]),
  };
}

/** Sites whose cluster cannot run a job that gives no command of its own (Slurm sites without `run.argv`). */
export function sitesNeedingCommand(configs: ReadonlyMap<string, SiteExecutorConfig>): string[] {
  return [...configs].filter(([, c]) => c !== "simulated" && c.run.argv === undefined).map(([id]) => id);
}

/**
 * Slurm's name of each of a site's Fjord nodes: from the executor's `slurmNodes`, in the site's node order,
 * or else the node id without its `site/` prefix.
 */
export function slurmNodeNamer(
  facility: Facility,
  siteId: string,
  config: SlurmSiteConfig,
): (nodeId: string) => string {
  const stripped = siteNodeName(siteId);
  if (config.slurmNodes === undefined) return stripped;
  const names = config.slurmNodes;
  const byNode = new Map(
    facility.nodes.filter((n) => n.siteId === siteId).map((n, i) => [n.id, names[i] ?? stripped(n.id)]),
  );
  return (nodeId) => byNode.get(nodeId) ?? stripped(nodeId);
}

/** What /v1/facility/racks names as each site's executor. */
export function executorNames(configs: ReadonlyMap<string, SiteExecutorConfig>): Record<string, string> {
  return Object.fromEntries([...configs].map(([siteId, c]) => [siteId, c === "simulated" ? c : c.kind]));
}

/**
 * Checks every Slurm site's cluster before Fjord hands it work (slurm-site-check.ts); throws an InputError
 * naming each difference. A cluster that does not answer is no verdict: `warn` says so and its jobs wait.
 */
export async function checkSlurmSites(
  facility: Facility,
  configs: ReadonlyMap<string, SiteExecutorConfig>,
  facilityPath: string,
  warn: (line: string) => void,
): Promise<void> {
  const siteIndex = new Map(facility.sites.map((s, i) => [s.id, i]));
  const issues = [];
  for (const [siteId, config] of configs) {
    if (config === "simulated") continue;
    const at = ["sites", siteIndex.get(siteId)!, "executor"];
    const siteNodes = facility.nodes.filter((n) => n.siteId === siteId).length;
    if (config.slurmNodes !== undefined && config.slurmNodes.length !== siteNodes) {
      issues.push(
        issueAt(
          [...at, "slurmNodes"],
          `names ${config.slurmNodes.length} Slurm nodes, the site has ${siteNodes}: one name per node, in the file's order`,
        ),
      );
      continue;
    }
    const target = { siteId, ...config, nodeName: slurmNodeNamer(facility, siteId, config) };
    try {
      const problems = await slurmSiteProblems(facility, target);
      issues.push(...problems.map((p) => issueAt(at, p)));
    } catch (err) {
      if (!(err instanceof SlurmCommandError && err.transient)) throw err;
      warn(
        `fjord: site ${siteId}: its Slurm cluster does not answer (${err.message}); its jobs wait for it\n`,
      );
    }
  }
  if (issues.length > 0) throw new InputError(facilityPath, issues);
}
