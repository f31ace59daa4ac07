// `fjord serve` with a Slurm site, as an operator runs it: the facility file says which cluster runs the
// site (`executor: { kind: slurm, … }`), a job submitted over the API runs there as the site's command,
// told which job it is through its environment.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type ServiceProcess, savedKeys, spawnService } from "../../test/support/service.ts";
import { demandSlurm, eventually, useSiteCluster } from "../../test/support/slurm-cluster.ts";

const FIXTURES = join(import.meta.dirname, "../../test/fixtures/slurm");
const canRun = demandSlurm("src/cli/serve-slurm.slurm.test.ts");

describe.skipIf(!canRun)("fjord serve with a site on a real Slurm cluster", () => {
  const north = useSiteCluster("fjord-north", "servenorth");
  let dir: string;
  let service: ServiceProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fjord-serve-slurm-"));
    const facility = parse(readFileSync(join(FIXTURES, "facility.yaml"), "utf8"));
    facility.sites[0].executor = {
      kind: "slurm",
      slurmConf: north().slurmConf,
      partition: "fjord",
      run: {
        argv: ["sh", "-c", 'echo "$FJORD_TENANT_ID $FJORD_JOB_NAME $FJORD_JOB_LABELS" > "$FJORD_JOB_ID.ran"'],
        workDir: north().workDir,
      },
      preemptGrace: "10s",
    };
    writeFileSync(join(dir, "facility.yaml"), stringify(facility));
    service = await spawnService([
      "--facility",
      join(dir, "facility.yaml"),
      "--policy",
      "policies/default.yaml",
      "--data-dir",
      join(dir, "data"),
    ]);
  });

  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an accelerated clock: a real cluster runs on the wall clock", async () => {
    const args = ["--facility", join(dir, "facility.yaml"), "--data-dir", join(dir, "fast"), "--speed", "60"];
    await expect(spawnService(args)).rejects.toThrow(/--speed.*must be 1 when a site runs on Slurm, not 60/s);
  });

  it("runs a job submitted over the API on the cluster and reports it completed", async () => {
    const key = savedKeys(join(dir, "data")).find((k) => k.tenantId === "aurora-labs")!.key;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${service!.url}/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      });
    const submitted = await api("/jobs", {
      method: "POST",
      body: JSON.stringify({
        name: "hello-slurm",
        gpus: 2,
        estimatedRuntimeS: 60,
        residency: ["NO"],
        labels: { team: "nlp" },
      }),
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const done = await eventually(
      "completed",
      async () => {
        const job = (await (await api(`/jobs/${id}`)).json()) as {
          state: string;
          allocation: { siteId: string };
        };
        return job.state === "completed" ? job : null;
      },
      30_000,
    );
    expect(done.allocation.siteId).toBe("fjord-north");
    const ran = join(north().workDir, `${id}.ran`);
    expect(existsSync(ran)).toBe(true);
    expect(readFileSync(ran, "utf8")).toBe('aurora-labs hello-slurm {"team":"nlp"}\n');
    const named = await north().client("squeue", [
      "--states=all",
      "--noheader",
      "--format=%T",
      `--name=fjord-${id}`,
    ]);
    expect(named.trim()).toBe("COMPLETED");
  });

  it("refuses a cluster that would reorder or share what Fjord decides, naming each difference", async () => {
    const facility = parse(readFileSync(join(dir, "facility.yaml"), "utf8"));
    facility.nodeTypes[0].gpusPerNode = 8;
    writeFileSync(join(dir, "facility-8.yaml"), stringify(facility));
    await north().client("scontrol", ["update", "PartitionName=fjord", "OverSubscribe=YES"]);
    try {
      const args = ["--facility", join(dir, "facility-8.yaml"), "--data-dir", join(dir, "refused")];
      const refused = spawnService(args);
      await expect(refused).rejects.toThrow(/partition fjord: OverSubscribe is YES:4, must be NO/);
      await expect(refused).rejects.toThrow(
        /node fjord-north\/hall-a-r001-n01: Slurm node hall-a-r001-n01 has 4 GPUs \(Gres\), the facility file 8/,
      );
    } finally {
      await north().client("scontrol", ["update", "PartitionName=fjord", "OverSubscribe=NO"]);
    }
  });

  it("ends every accepted job exactly once when fjord serve is killed (SIGKILL) mid-dispatch and started again", async () => {
    // One Fjord per partition: the service of the other tests would take this one's runs for leftovers.
    await service?.stop();
    service = null;
    const args = ["--facility", join(dir, "facility.yaml"), "--data-dir", join(dir, "crash")];
    let crashing: ServiceProcess | null = await spawnService(args);
    const key = savedKeys(join(dir, "crash")).find((k) => k.tenantId === "aurora-labs")!.key;
    const api = (url: string, path: string, init: RequestInit = {}) =>
      fetch(`${url}/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      });
    // Ten jobs of 2 GPUs on 16: eight start at once, two wait for them. Each appends a line per run.
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const res = await api(crashing!.url, "/jobs", {
          method: "POST",
          body: JSON.stringify({
            name: `crash-${i}`,
            gpus: 2,
            estimatedRuntimeS: 60,
            residency: ["NO"],
            command: ["sh", "-c", 'echo run >> "$FJORD_JOB_ID.runs"; sleep 3'],
            workDir: north().workDir,
          }),
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    // Killed as soon as the first of its sbatch calls has reached Slurm: the others are decided, stored
    // and on their way, or not yet decided.
    await eventually("a first job on Slurm", async () =>
      (await north().client("squeue", ["--noheader", "--format=%j"])).includes("fjord-job_"),
    );
    crashing.child.kill("SIGKILL");
    await new Promise((resolve) => crashing!.child.once("exit", resolve));
    crashing = null;

    const restarted = await spawnService(args);
    try {
      for (const id of ids)
        await eventually(
          `${id} completed`,
          async () =>
            ((await (await api(restarted.url, `/jobs/${id}`)).json()) as { state: string }).state ===
            "completed",
          60_000,
        );
      for (const id of ids) {
        const job = (await (await api(restarted.url, `/jobs/${id}`)).json()) as { restarts: number };
        expect(job.restarts).toBe(0);
        const slurm = await north().client("squeue", [
          "--states=all",
          "--noheader",
          "--format=%T",
          `--name=fjord-${id}`,
        ]);
        expect(slurm.trim().split("\n")).toEqual(["COMPLETED"]);
        expect(readFileSync(join(north().workDir, `${id}.runs`), "utf8")).toBe("run\n");
      }
    } finally {
      await restarted.stop();
    }
  }, 180_000);
});
