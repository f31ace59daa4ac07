// What runs a site's jobs, as the facility file says per site (`executor:`): the built-in simulated
// executor (the default) or the site's Slurm cluster (docs/slurm.md). The facility model itself does not
// carry it: only `fjord serve` needs it, and reads it with loadSiteExecutors (load-facility-file.ts).
import { z } from "zod";
import { nonEmptyString, positiveDurationS, strict } from "../model/input-schemas.ts";

/** Where a job runs when neither it nor its site names a working directory. */
export const DEFAULT_WORK_DIR = "/tmp";

const absolutePath = nonEmptyString.refine((p) => p.startsWith("/"), "must be an absolute path");

export const siteExecutorSchema = z.union(
  [
    z.literal("simulated"),
    strict({
      kind: z.literal("slurm"),
      /** The cluster's slurm.conf, as its clients on this host read it. */
      slurmConf: absolutePath,
      /** The partition Fjord owns. */
      partition: nonEmptyString.default("fjord"),
      /**
       * The site's defaults for its jobs: `argv`, what a job that gives no command runs (without it, such
       * jobs are refused at submission when they could run here); `workDir` and `output`, where a job that
       * names none runs and writes. Every job has FJORD_JOB_ID, FJORD_JOB_NAME, FJORD_TENANT_ID and
       * FJORD_JOB_LABELS (JSON) in its environment.
       */
      run: strict({
        argv: z.array(nonEmptyString).min(1, "must name the program to run").optional(),
        workDir: absolutePath.default(DEFAULT_WORK_DIR),
        output: absolutePath.optional(),
      }).default({ workDir: DEFAULT_WORK_DIR }),
      /**
       * Slurm's name of each of the site's nodes, in the order the facility file lays them out (hall by
       * hall, rack by rack): for a cluster whose node names are not Fjord's (`fjord facility import-slurm`
       * writes it). Without it, Slurm's name is the Fjord node id without its `site/` prefix.
       */
      slurmNodes: z.array(nonEmptyString).min(1).optional(),
      /** Time between USR1 and the cancel of a preempted job, e.g. 30s. */
      preemptGrace: positiveDurationS.default(30),
    }),
  ],
  {
    error: () =>
      'must be "simulated" or { kind: slurm, slurmConf, partition, run: { argv, workDir, output } }',
  },
);

export type SiteExecutorConfig = z.output<typeof siteExecutorSchema>;
export type SlurmSiteConfig = Exclude<SiteExecutorConfig, "simulated">;

/** The sites of a facility document with only their executors (the rest is the facility schema's). */
export const siteExecutorsDocument = z.object({
  sites: z.array(z.object({ id: z.string(), executor: siteExecutorSchema.default("simulated") })),
});
