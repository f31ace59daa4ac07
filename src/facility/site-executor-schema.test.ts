import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { loadFacilityFile, loadSiteExecutors } from "./load-facility-file.ts";

const FIXTURE = join(import.meta.dirname, "../../test/fixtures/slurm/facility.yaml");
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** The Slurm test facility with `executor` set on its first site. */
function withExecutor(executor: unknown): string {
  const doc = parse(readFileSync(FIXTURE, "utf8"));
  doc.sites[0].executor = executor;
  dir = mkdtempSync(join(tmpdir(), "fjord-site-executor-"));
  const path = join(dir, "facility.yaml");
  writeFileSync(path, stringify(doc));
  return path;
}

describe("a site's executor in the facility file", () => {
  it("is the simulated one unless the site names its Slurm cluster", () => {
    const path = withExecutor({
      kind: "slurm",
      slurmConf: "/etc/slurm/slurm.conf",
      run: { argv: ["/opt/fjord/run-job.sh"], workDir: "/scratch/fjord" },
      preemptGrace: "1m",
    });
    expect(loadFacilityFile(path).sites.map((s) => s.id)).toEqual(["fjord-north", "aurora-onprem"]);
    expect(Object.fromEntries(loadSiteExecutors(path))).toEqual({
      "fjord-north": {
        kind: "slurm",
        slurmConf: "/etc/slurm/slurm.conf",
        partition: "fjord",
        run: { argv: ["/opt/fjord/run-job.sh"], workDir: "/scratch/fjord" },
        preemptGrace: 60,
      },
      "aurora-onprem": "simulated",
    });
  });

  it("refuses an executor it cannot run, naming the site's field", () => {
    const problems = (executor: unknown) =>
      issueLines(catchInputError(() => loadFacilityFile(withExecutor(executor)))).join("\n");
    expect(problems("slurm")).toMatch(/sites\[0\]\.executor: must be "simulated" or \{ kind: slurm/);
    const relative = { kind: "slurm", slurmConf: "slurm.conf", run: { argv: ["x"], workDir: "/w" } };
    expect(problems(relative)).toMatch(/sites\[0\]\.executor\.slurmConf: must be an absolute path/);
  });
});
