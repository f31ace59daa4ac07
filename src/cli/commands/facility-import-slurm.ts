// `fjord facility import-slurm`: a running Slurm cluster's node inventory (`scontrol show node`, GPUs from
// each node's Gres) as a facility file with one site run by that cluster, checked by Fjord's own facility
// parser before it is written, so `fjord serve --facility` takes it as it is.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "yaml";
import { parseNodeInventory } from "../../executors/slurm/node-inventory.ts";
import { runSlurm, SlurmCommandError } from "../../executors/slurm/slurm-cli.ts";
import { parseFacilityYaml } from "../../facility/parse-facility.ts";
import { siteFromSlurm } from "../../facility/site-from-slurm.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { CliFailure, EXIT_UNAVAILABLE } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";

interface ImportOptions {
  slurmConf?: string;
  partition: string;
  site: string;
  country: string;
  jurisdictions: string;
  gridZone: string;
  hall: string;
  nodesPerRack: string;
  gpuModel?: string;
  facilityId?: string;
  out?: string;
}

const HEADER = `# Imported from a Slurm cluster by fjord facility import-slurm. Slurm knows each node's GPUs, CPUs and
# memory; the racks (nodes of one kind, nodesPerRack to a rack), GPU memory and power are not Slurm's to
# know: check them against the hardware. slurmNodes names each Slurm node in the order the racks lay out
# the site's nodes. Merge the site and its node types into the facility's own file.
`;

export function registerFacilityImportSlurm(facility: Command, io: CliIo): Command {
  return facility
    .command("import-slurm")
    .description("a running Slurm cluster's nodes (scontrol show node, with GRES) as a site in YAML")
    .option("--slurm-conf <path>", "the cluster's slurm.conf (default: $SLURM_CONF)")
    .option("--partition <name>", "the partition Fjord will own", "fjord")
    .requiredOption("--site <id>", "id of the site, e.g. fjord-north")
    .requiredOption("--country <code>", "ISO 3166 country of the site, e.g. NO")
    .requiredOption("--jurisdictions <tags>", "comma-separated, e.g. NO,EEA")
    .requiredOption("--grid-zone <zone>", "the electricity grid zone, e.g. NO4")
    .option("--hall <id>", "id of the hall the nodes are put in", "hall-a")
    .option("--nodes-per-rack <n>", "most nodes per rack", "4")
    .option("--gpu-model <model>", "the GPU model, when Slurm's Gres names no type (gpu:8)")
    .option("--facility-id <id>", "id of the facility file written (default: the site's)")
    .option("--out <file>", "write the YAML here instead of to stdout")
    .action(async (options: ImportOptions) => {
      const slurmConf = options.slurmConf ?? process.env.SLURM_CONF;
      if (slurmConf === undefined || !slurmConf.startsWith("/"))
        throw new InputError("command line", [
          issueAt(
            ["--slurm-conf"],
            "must be the absolute path of the cluster's slurm.conf (or set SLURM_CONF)",
          ),
        ]);
      const nodesPerRack = Number(options.nodesPerRack);
      if (!Number.isInteger(nodesPerRack) || nodesPerRack < 1)
        throw new InputError("command line", [
          issueAt(["--nodes-per-rack"], "must be a whole number, 1 or more"),
        ]);
      let text: string;
      try {
        text = await runSlurm("scontrol", ["show", "node", "--oneliner"], {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          SLURM_CONF: slurmConf,
        });
      } catch (err) {
        if (!(err instanceof SlurmCommandError)) throw err;
        throw new CliFailure(
          `fjord: the Slurm cluster of ${slurmConf} did not answer: ${err.message}`,
          EXIT_UNAVAILABLE,
        );
      }
      const imported = siteFromSlurm(parseNodeInventory(text), {
        facilityId: options.facilityId ?? options.site,
        siteId: options.site,
        country: options.country,
        jurisdictions: options.jurisdictions
          .split(",")
          .map((j) => j.trim())
          .filter((j) => j !== ""),
        gridZone: options.gridZone,
        hallId: options.hall,
        nodesPerRack,
        gpuModel: options.gpuModel ?? null,
        slurmConf,
        partition: options.partition,
      });
      if (!imported.ok) throw new InputError(slurmConf, [issueAt([], imported.problem)]);
      const yaml = HEADER + stringify(imported.document);
      // The flags land in the document as they are: Fjord's own parser names any that is wrong.
      parseFacilityYaml(yaml, "the imported site (from the command line's flags)");
      if (options.out === undefined) io.out(yaml);
      else writeFileSync(options.out, yaml);
      const nodes = (imported.document.sites as { executor: { slurmNodes: string[] } }[])[0]!.executor
        .slurmNodes;
      io.err(
        `fjord: ${nodes.length} nodes of partition ${options.partition} as site ${options.site}` +
          `${options.out === undefined ? "" : ` in ${options.out}`}\n`,
      );
      for (const note of imported.notes) io.err(`fjord: ${note}\n`);
    });
}
