// `fjord facility import-slurm` against a real cluster whose node names are not Fjord's: the site it writes
// loads as a facility file, passes the check `fjord serve` makes of a Slurm site, and a job Fjord places
// on its second node runs on Slurm's second node.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { job } from "../../test/support/build.ts";
import { fjordInProcess } from "../../test/support/cli.ts";
import { demandSlurm, eventually, useSlurmCluster } from "../../test/support/slurm-cluster.ts";
import { checkSlurmSites, siteExecutors } from "../executors/site-executors.ts";
import { loadFacilityFile, loadSiteExecutors } from "../facility/load-facility-file.ts";
import { serviceClock } from "../service/service-clock.ts";
import { EXIT_BAD_INPUT, EXIT_OK } from "./exit-codes.ts";

const canRun = demandSlurm("src/cli/facility-import-slurm.slurm.test.ts");

describe.skipIf(!canRun)("fjord facility import-slurm on a real cluster", () => {
  const cluster = useSlurmCluster({
    name: "inventory",
    nodeNames: ["gpu-a1", "gpu-a2", "gpu-b1"],
    gpusPerNode: 2,
  });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "fjord-import-slurm-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const flags = () => [
    "facility",
    "import-slurm",
    "--slurm-conf",
    cluster().slurmConf,
    "--site",
    "lab",
    "--country",
    "SE",
    "--jurisdictions",
    "SE,EEA",
    "--grid-zone",
    "SE3",
  ];

  it("asks for the GPU model when Slurm's Gres names none", async () => {
    const run = await fjordInProcess(...flags());
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toContain(
      "node gpu-a1's Gres (gpu:2) names no GPU type: give the model with --gpu-model",
    );
  });

  it("writes a site Fjord loads, checks and runs jobs on, each Fjord node on its Slurm node", async () => {
    const out = join(dir, "lab.yaml");
    const run = await fjordInProcess(
      ...flags(),
      "--gpu-model",
      "L40S",
      "--nodes-per-rack",
      "2",
      "--out",
      out,
    );
    expect(run.code).toBe(EXIT_OK);
    expect(run.stderr).toContain("3 nodes of partition fjord as site lab");
    const facility = loadFacilityFile(out);
    // Three nodes do not split into racks of two: three racks of one.
    expect(facility.nodes.map((n) => n.id)).toEqual([
      "lab/hall-a-r001-n01",
      "lab/hall-a-r002-n01",
      "lab/hall-a-r003-n01",
    ]);
    expect(facility.nodeTypes).toMatchObject([{ gpuModel: "L40S", gpusPerNode: 2, cpuCores: 2 }]);
    const executors = loadSiteExecutors(out);
    expect(executors.get("lab")).toMatchObject({ kind: "slurm", slurmNodes: ["gpu-a1", "gpu-a2", "gpu-b1"] });
    const warnings: string[] = [];
    await checkSlurmSites(facility, executors, out, (line) => warnings.push(line));
    expect(warnings).toEqual([]);

    const ended: string[] = [];
    const executor = siteExecutors(facility, executors, serviceClock({ speed: 1, resumeAtMs: null }), {
      finished: (jobId, _atMs, outcome) => ended.push(`${jobId} ${outcome}`),
    });
    try {
      const j = {
        ...job("aurora-labs", { id: "on-second", gpus: 1 }),
        command: {
          argv: ["true"],
          workDir: cluster().workDir,
          env: [],
          stdoutPath: null,
          stderrPath: null,
        },
      };
      executor.adoptionComplete?.();
      executor.start(j, { siteId: "lab", nodes: [{ nodeId: "lab/hall-a-r002-n01", gpus: [0] }] }, Date.now());
      await eventually("completed", () => ended.includes("on-second completed"));
      const ran = await cluster().client("squeue", [
        "--states=all",
        "--noheader",
        "--format=%N",
        "--name=fjord-on-second",
      ]);
      expect(ran.trim()).toBe("gpu-a2");
    } finally {
      await executor.close();
    }
  });
});
