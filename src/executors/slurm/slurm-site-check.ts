// Slurm must not reorder Fjord's decisions: before Fjord hands a site's work to its cluster, it checks
// that the cluster schedules the way docs/slurm.md asks of a partition Fjord owns, and that the cluster's
// nodes are the site's nodes with the site's GPUs. Each difference is named, so an operator can fix it.
import type { Facility } from "../../model/types.ts";
import { runSlurm, SlurmCommandError } from "./slurm-cli.ts";

/** What the cluster's configuration must say, and why, as `scontrol show config` prints it. */
const REQUIRED_CONFIG: [key: string, value: string, why: string][] = [
  ["PriorityType", "priority/basic", "any other priority plugin may start Fjord's jobs in another order"],
  [
    "PreemptType",
    "preempt/none",
    "only Fjord preempts; Slurm preempting would stop jobs Fjord counts running",
  ],
  ["SelectType", "select/cons_tres", "GPUs must be consumable, so jobs share a node by GPU count"],
];

/** What the partition must say, as `scontrol show partition -o` prints it. */
const REQUIRED_PARTITION: [key: string, value: string, why: string][] = [
  ["State", "UP", "jobs submitted to a partition that is not up do not start"],
  ["OverSubscribe", "NO", "Slurm would put other jobs on GPUs Fjord gave to one"],
  ["PreemptMode", "OFF", "only Fjord preempts"],
];

export interface SiteCheckTarget {
  siteId: string;
  slurmConf: string;
  partition: string;
  nodeName: (nodeId: string) => string;
}

/**
 * The differences between the cluster and what Fjord needs of it; empty when it fits. Throws
 * SlurmCommandError (transient) when the cluster cannot be reached: that is no verdict on it.
 */
export async function slurmSiteProblems(facility: Facility, target: SiteCheckTarget): Promise<string[]> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", SLURM_CONF: target.slurmConf };
  const config = keyValues(await runSlurm("scontrol", ["show", "config"], env), /^(\S+)\s+=\s+(.*)$/gm);
  const problems = REQUIRED_CONFIG.flatMap(([key, value, why]) =>
    config.get(key) === value ? [] : [`${key} is ${config.get(key) ?? "not set"}, must be ${value}: ${why}`],
  );
  if (!(config.get("GresTypes") ?? "").split(",").includes("gpu"))
    problems.push("GresTypes must include gpu: Fjord asks for GPUs with --gres=gpu:N");
  let partitionText: string;
  try {
    partitionText = await runSlurm("scontrol", ["show", "partition", target.partition, "--oneliner"], env);
  } catch (err) {
    if (err instanceof SlurmCommandError && !err.transient)
      return [...problems, `partition ${target.partition} does not exist`];
    throw err;
  }
  const partition = keyValues(partitionText, /(\w+)=(\S*)/g);
  for (const [key, value, why] of REQUIRED_PARTITION) {
    // OverSubscribe reads like YES:4 (a job count after the mode).
    const actual = partition.get(key) ?? "not set";
    if (actual.split(":")[0] !== value)
      problems.push(`partition ${target.partition}: ${key} is ${actual}, must be ${value}: ${why}`);
  }
  const nodeLines = (await runSlurm("scontrol", ["show", "node", "--oneliner"], env)).split("\n");
  const slurmNodes = new Map(
    nodeLines
      .map((line) => keyValues(line, /(\w+)=(\S*)/g))
      .filter((n) => n.has("NodeName"))
      .map((n) => [n.get("NodeName")!, n]),
  );
  const gpusPerType = new Map(facility.nodeTypes.map((t) => [t.id, t.gpusPerNode]));
  for (const node of facility.nodes.filter((n) => n.siteId === target.siteId)) {
    const name = target.nodeName(node.id);
    const slurmNode = slurmNodes.get(name);
    if (!slurmNode) {
      problems.push(`node ${node.id}: the cluster has no node ${name}`);
      continue;
    }
    if (!(slurmNode.get("Partitions") ?? "").split(",").includes(target.partition))
      problems.push(`node ${node.id}: Slurm node ${name} is not in partition ${target.partition}`);
    const gpus = gpusPerType.get(node.nodeTypeId) ?? 0;
    const slurmGpus = gresGpus(slurmNode.get("Gres") ?? "");
    if (slurmGpus !== gpus)
      problems.push(
        `node ${node.id}: Slurm node ${name} has ${slurmGpus} GPUs (Gres), the facility file ${gpus}`,
      );
  }
  return problems;
}

function keyValues(text: string, pattern: RegExp): Map<string, string> {
  return new Map([...text.matchAll(pattern)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** GPUs in a node's Gres: `gpu:4`, `gpu:h100:8(S:0-1)`, `gpu:2,shard:8` → 4, 8, 2; none → 0. */
export function gresGpus(gres: string): number {
  let total = 0;
  for (const item of gres.split(",")) {
    const parts = item.replace(/\(.*\)$/, "").split(":");
    if (parts[0] === "gpu") total += Number(parts.at(-1)) || 0;
  }
  return total;
}
