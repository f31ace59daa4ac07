// The commands that talk to the API, end to end against `fjord serve` running in this process (the small
// two-site facility, the clock at an hour a second): tables and --json, idempotent re-submission, refusals
// named at their file line or flag, and the exit codes for not found, authentication and an unreachable
// service.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventually } from "../../test/support/api-test-harness.ts";
import { fjordInProcess, startTestService, type TestService } from "../../test/support/cli.ts";
import { EXIT_AUTH, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK, EXIT_UNAVAILABLE } from "./exit-codes.ts";

let service: TestService;
let work: string;
/** An aurora-labs job that is running throughout (1,000 h at an hour a second). */
let runningJobId: string;

const fjord = fjordInProcess;
/** The command with the service's address and `key`. */
const as = (key: string, ...args: string[]) => fjord(...args, "--url", service.url, "--api-key", key);
const asOperator = (...args: string[]) => as(service.operatorKey, ...args);
const jsonOf = <T>(run: { stdout: string }) => JSON.parse(run.stdout) as T;

interface Job {
  id: string;
  name: string;
  tenant: string;
  state: string;
  [field: string]: unknown;
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Every job's name the operator can list, to count submissions. */
async function jobNames(): Promise<string[]> {
  const run = await asOperator("status", "--all", "--limit", "1000", "--json");
  return jsonOf<{ items: Job[] }>(run).items.map((j) => j.name);
}

beforeAll(async () => {
  service = await startTestService();
  work = mkdtempSync(join(tmpdir(), "fjord-cli-"));
  const run = await asOperator(
    "submit",
    ...["--tenant", "aurora-labs", "--name", "long-training", "--gpus", "4", "--gpu-model", "GB300"],
    ...["--runtime", "1000h", "--residency", "EEA", "--json"],
  );
  expect(run.stderr).toBe("");
  runningJobId = jsonOf<Job>(run).id;
  await eventually("the long job to start", async () => {
    const status = await asOperator("status", runningJobId, "--json");
    return jsonOf<Job>(status).state === "running";
  });
});

afterAll(async () => {
  await service?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("fjord submit", () => {
  it("submits every job of a job file and prints each job's id and state", async () => {
    const jobs = file(
      "two.yaml",
      `jobs:
  - id: finetune-7b
    tenant: aurora-labs
    gpus: 4
    estimatedRuntime: 2h
    notBefore: 2031-01-01T00:00:00Z
  - id: eval-suite
    tenant: sisu-ai
    nodes: 1
    gpusPerNode: 4
    estimatedRuntime: 30m
    notBefore: 2031-01-01T00:00:00Z
`,
    );
    const run = await asOperator("submit", jobs);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(
      /│ finetune-7b +│ job_[0-9a-z]{26} │ aurora-labs +│ +4 │ queued +│ submitted +│/,
    );
    expect(run.stdout).toMatch(/│ eval-suite +│ job_[0-9a-z]{26} │ sisu-ai +│ +4 │ queued +│ submitted +│/);
    expect(run.stdout).toContain("2 submitted, 0 already submitted");
  });

  it("sends durations in seconds and times in ISO 8601, and names the job after its id in the file", async () => {
    const jobs = file(
      "units.yaml",
      `- id: units-check
  tenant: aurora-labs
  gpus: 8
  estimatedRuntime: 1h30m
  limit: 2h
  checkpointInterval: 10m
  notBefore: 2031-01-01T01:00:00+01:00
  labels: { team: nlp }
`,
    );
    const [job] = jsonOf<Job[]>(await asOperator("submit", jobs, "--json"));
    expect(job).toMatchObject({
      name: "units-check",
      gpus: 8,
      estimatedRuntimeS: 5400,
      limitS: 7200,
      checkpointIntervalS: 600,
      notBefore: "2031-01-01T00:00:00.000Z",
      labels: { team: "nlp" },
    });
  });

  it("never creates a job twice when the same file is submitted again", async () => {
    const jobs = file(
      "again.yaml",
      `jobs:
  - { id: again-a, tenant: fjellbit, gpus: 4, estimatedRuntime: 1h, notBefore: 2031-01-01T00:00:00Z }
  - { id: again-b, tenant: fjellbit, gpus: 4, estimatedRuntime: 1h, notBefore: 2031-01-01T00:00:00Z }
`,
    );
    const first = jsonOf<Job[]>(await asOperator("submit", jobs, "--json"));
    const second = jsonOf<Job[]>(await asOperator("submit", jobs, "--json"));
    expect(second.map((j) => j.id)).toEqual(first.map((j) => j.id));
    const third = await asOperator("submit", jobs);
    expect(third.stdout).toContain("0 submitted, 2 already submitted");
    expect((await jobNames()).filter((n) => n.startsWith("again-"))).toEqual(["again-a", "again-b"]);
  });

  it("submits one job given as flags, and the same flags again return the same job", async () => {
    const flags = [
      ...["submit", "--tenant", "sisu-ai", "--name", "flags-job", "--nodes", "2", "--gpus-per-node", "4"],
      ...["--runtime", "2h", "--limit", "3h", "--residency", "EEA, NO", "--max-latency", "nordics:20"],
      ...["--label", "team=nlp", "--label", "phase=eval", "--priority", "3", "--topology", "network-block"],
      ...["--not-before", "2031-01-01T00:00:00Z", "--json"],
    ];
    const job = jsonOf<Job>(await asOperator(...flags));
    expect(job).toMatchObject({
      tenant: "sisu-ai",
      name: "flags-job",
      nodes: 2,
      gpusPerNode: 4,
      gpus: 8,
      estimatedRuntimeS: 7200,
      limitS: 10800,
      residency: ["EEA", "NO"],
      maxLatency: { region: "nordics", ms: 20 },
      labels: { team: "nlp", phase: "eval" },
      priority: 3,
      topology: "network-block",
      notBefore: "2031-01-01T00:00:00.000Z",
      state: "queued",
    });
    expect(jsonOf<Job>(await asOperator(...flags)).id).toBe(job.id);
  });

  it("with --idempotency-key, the key decides: the same key with another job is refused", async () => {
    const flags = ["submit", "--tenant", "sisu-ai", "--gpus", "4", "--not-before", "2031-01-01T00:00:00Z"];
    const first = await asOperator(...flags, "--runtime", "1h", "--idempotency-key", "ci-run-42", "--json");
    expect(first.code).toBe(EXIT_OK);
    const other = await asOperator(...flags, "--runtime", "2h", "--idempotency-key", "ci-run-42");
    expect(other.code).toBe(EXIT_BAD_INPUT);
    expect(other.stderr).toBe(
      `command line: refused: Idempotency key reused: Idempotency-Key was already used for job ${jsonOf<Job>(first).id} ` +
        "with a different body; use a new key for a new job\n",
    );
  });

  it("refuses a job file that does not validate, naming the file, field and line, and submits nothing", async () => {
    const jobs = file(
      "bad.yaml",
      `jobs:
  - id: never-sent
    tenant: aurora-labs
    gpus: 4
    estimatedRuntime: 1h
  - id: broken
    tenant: aurora-labs
    gpus: four
    estimatedRuntime: 1h
`,
    );
    const run = await asOperator("submit", jobs);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toBe(`${jobs}: jobs[1].gpus: must be a number, not "four" (line 8)\n`);
    expect(run.stdout).toBe("");
    expect(await jobNames()).not.toContain("never-sent");
  });

  it("submits the jobs the service accepts and names each refused one at its field and line", async () => {
    const jobs = file(
      "too-big.yaml",
      `jobs:
  - { id: fits, tenant: aurora-labs, gpus: 4, estimatedRuntime: 1h, notBefore: 2031-01-01T00:00:00Z }
  - id: never-fits
    tenant: aurora-labs
    gpus: 4096
    estimatedRuntime: 1h
`,
    );
    const run = await asOperator("submit", jobs);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stdout).toMatch(/│ fits +│ job_[0-9a-z]{26} │ aurora-labs +│ +4 │ queued +│ submitted +│/);
    expect(run.stderr).toMatch(
      new RegExp(`^${jobs}: jobs\\[1\\]\\.gpus: refused: never fits: .* \\(line 5\\)\\n$`),
    );
  });

  it("refuses bad flags before sending anything, naming each flag", async () => {
    const run = await asOperator("submit", "--gpus", "four", "--runtime", "2x", "--label", "nolabel");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr.split("\n")).toEqual([
      'command line: --runtime: "2x" is not a duration; use a number with a unit s, m, h, d or w (like 90s, 36h or 1h30m), or a plain number of seconds',
      'command line: --label: "nolabel" must be key=value, like team=nlp',
      'command line: --gpus: must be a number, not the string "four"',
      "",
    ]);
  });

  it("refuses job flags together with a job file", async () => {
    const run = await asOperator("submit", "workloads/demo-jobs.yaml", "--gpus", "4");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toContain("command line: --gpus: is for a job given as flags");
  });
});

describe("fjord status", () => {
  it("shows a running job in detail: site and jurisdictions, GPUs, times", async () => {
    const run = await asOperator("status", runningJobId);
    expect(run.code).toBe(EXIT_OK);
    for (const row of [
      /│ State +│ running +│/,
      /│ Site +│ no-test \(NO, EEA\) +│/,
      /│ Nodes +│ 1 node: no-test\/\S+ +│/,
      /│ Size +│ 4 GPUs +│/,
      /│ Runtime +│ estimated 5w6d16h, limit 8w6d12h +│/,
      /│ Started +│ \d{4}-\d\d-\d\dT\d\d:\d\dZ +│/,
      /│ Restarts +│ 0 +│/,
    ])
      expect(run.stdout).toMatch(row);
  });

  it("lists the caller's jobs a page at a time, or every page with --all", async () => {
    const key = service.tenantKey("thames-robotics");
    for (const name of ["t-1", "t-2", "t-3"])
      await as(
        key,
        "submit",
        "--name",
        name,
        "--gpus",
        "4",
        "--runtime",
        "1h",
        "--not-before",
        "2031-01-01T00:00:00Z",
      );
    const page = await as(key, "status", "--limit", "2");
    expect(page.stdout).toMatch(/^Jobs \(2\)\n/);
    expect(page.stdout).toContain("more jobs follow: add --all for every page");
    const all = jsonOf<{ items: Job[]; nextCursor: string | null }>(
      await as(key, "status", "--limit", "2", "--all", "--json"),
    );
    expect(all.items.map((j) => j.name)).toEqual(["t-1", "t-2", "t-3"]);
    expect(all.nextCursor).toBeNull();
    expect((await as(key, "status", "--state", "running")).stdout).toBe("Jobs: none\n");
  });

  it("refuses an unknown state, naming the flag", async () => {
    const run = await asOperator("status", "--state", "queued,sleeping");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toBe(
      "--state: unknown state 'sleeping' (known: queued, running, completed, failed, cancelled)\n",
    );
  });

  it("answers a job that does not exist, or is another tenant's, with exit code 3", async () => {
    const missing = await asOperator("status", "job_01m8kaz43bgqavbb4xzwvsvqha");
    expect(missing.code).toBe(EXIT_NOT_FOUND);
    expect(missing.stderr).toBe(
      "fjord: GET /v1/jobs/job_01m8kaz43bgqavbb4xzwvsvqha: 404 Not Found\nno job job_01m8kaz43bgqavbb4xzwvsvqha\n",
    );
    const othersJob = await as(service.tenantKey("sisu-ai"), "status", runningJobId);
    expect(othersJob.code).toBe(EXIT_NOT_FOUND);
  });
});

describe("fjord queue", () => {
  it("shows each waiting job with its estimated start and the scheduler's reason", async () => {
    const key = service.tenantKey("oresund-bio");
    const job = jsonOf<Job>(
      await as(
        key,
        "submit",
        "--gpus",
        "4",
        "--runtime",
        "1h",
        "--not-before",
        "2031-01-01T00:00:00Z",
        "--json",
      ),
    );
    await eventually("the job to be explained in the queue", async () =>
      (await as(key, "queue", "--json")).stdout.includes(job.id),
    );
    const run = await as(key, "queue", "--tier", "nordic-european");
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(/^Queue at \d{4}-\d\d-\d\dT\d\d:\d\dZ: \d+ waiting \(nordic-european \d+\)\n/);
    expect(run.stdout).toMatch(
      new RegExp(
        `│ ${job.id} │ oresund-bio │ +4 │ \\S+ +│ 2031-01-01T00:00Z +│ waiting: start window opens 2031-01-01T00:00Z +│`,
      ),
    );
    // A tenant key sees its own jobs; the count still covers every tenant's.
    expect(run.stdout).toMatch(/\d+ more not shown \(other tenants' jobs, or beyond --limit\)/);
    expect(run.stdout).not.toContain("national");
  });

  it("prints the API's JSON with --json, and refuses a tier the policy does not have", async () => {
    const json = jsonOf<{ tiers: { tier: string }[] }>(await asOperator("queue", "--json"));
    expect(json.tiers.map((t) => t.tier)).toEqual(["national", "nordic-european", "global"]);
    const run = await asOperator("queue", "--tier", "premium");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toBe("--tier: unknown tier 'premium' (known: national, nordic-european, global)\n");
  });
});

describe("fjord cancel", () => {
  it("cancels a queued job, and refuses to cancel it again", async () => {
    const job = jsonOf<Job>(
      await asOperator(
        ...["submit", "--tenant", "fjellbit", "--gpus", "4", "--runtime", "1h", "--name", "to-cancel"],
        ...["--not-before", "2031-01-01T00:00:00Z", "--json"],
      ),
    );
    const run = await asOperator("cancel", job.id);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toBe(`${job.id} (to-cancel, fjellbit): cancelled\n`);
    const again = await asOperator("cancel", job.id, "--json");
    expect(again.code).toBe(EXIT_BAD_INPUT);
    expect(again.stderr).toBe(
      `fjord: POST /v1/jobs/${job.id}/cancel: 409 Job already ended\njob ${job.id} has already ended (cancelled)\n`,
    );
  });
});

describe("fjord usage", () => {
  it("shows GPU-hours per tenant, counting the running job", async () => {
    const usage = await eventually("the running job to count", async () => {
      const json = jsonOf<{ tenants: { tenant: string; gpuHours: number }[] }>(
        await asOperator("usage", "--json"),
      );
      const aurora = json.tenants.find((t) => t.tenant === "aurora-labs");
      return aurora !== undefined && aurora.gpuHours > 0 ? json : null;
    });
    expect(usage.tenants.map((t) => t.tenant)).toContain("sisu-ai");
    const table = await asOperator("usage", "--from", "2026-01-01T00:00:00Z");
    expect(table.stdout).toMatch(/^Usage 2026-01-01T00:00Z → \S+\n/);
    expect(table.stdout).toMatch(/│ Tenant +│ GPU-hours │/);
    expect(table.stdout).toMatch(/│ aurora-labs +│ +[\d,]+\.\d\d │/);
    expect(table.stdout).toMatch(/│ all +│ +[\d,]+\.\d\d │/);
  });

  it("gives a tenant key its own row, and another tenant's usage not at all (exit code 3)", async () => {
    const key = service.tenantKey("sisu-ai");
    const own = jsonOf<{ tenants: { tenant: string }[] }>(await as(key, "usage", "--json"));
    expect(own.tenants.map((t) => t.tenant)).toEqual(["sisu-ai"]);
    const other = await as(key, "usage", "--tenant", "aurora-labs");
    expect(other.code).toBe(EXIT_NOT_FOUND);
  });

  it("refuses a period that is not ISO 8601, naming the flag", async () => {
    const run = await asOperator("usage", "--from", "yesterday");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toMatch(/^--from: must be an ISO 8601 timestamp/);
  });
});

describe("fjord audit export", () => {
  it("writes a tenant's trail with where its jobs ran, and prints a summary", async () => {
    const out = join(work, "evidence", "aurora-labs.json");
    const run = await asOperator("audit", "export", "--tenant", "aurora-labs", "--out", out);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toMatch(/^aurora-labs: \d+ audit entries, .*; wrote .*aurora-labs\.json\n/);
    const trail = JSON.parse(readFileSync(out, "utf8")) as {
      tenant: string;
      entries: { action: string; objectId: string }[];
      jurisdictions: { jurisdiction: string; jobs: string[] }[];
    };
    expect(trail.tenant).toBe("aurora-labs");
    expect(trail.entries.some((e) => e.action === "job.start" && e.objectId === runningJobId)).toBe(true);
    expect(trail.jurisdictions.map((j) => j.jurisdiction).sort()).toEqual(["EEA", "NO"]);
  });

  it("prints the trail on stdout without --out, and is for operators only (exit code 4)", async () => {
    const run = await asOperator("audit", "export", "--tenant", "sisu-ai");
    expect(jsonOf<{ tenant: string }>(run).tenant).toBe("sisu-ai");
    const tenant = await as(service.tenantKey("sisu-ai"), "audit", "export", "--tenant", "sisu-ai");
    expect(tenant.code).toBe(EXIT_AUTH);
    expect(tenant.stderr).toMatch(
      /^fjord: GET \/v1\/audit\/export\?tenant=sisu-ai: 403 Forbidden\n.*role operator/,
    );
  });
});

describe("reaching the API", () => {
  it("refuses an unknown key with exit code 4 and says where keys come from", async () => {
    const run = await as("fjk_key_00000000000000000000000000_nope", "queue");
    expect(run.code).toBe(EXIT_AUTH);
    expect(run.stderr).toMatch(
      /^fjord: GET \/v1\/queue: 401 Unauthorized\n.*\n\(give a valid key with --api-key/,
    );
  });

  it("needs a key before it sends anything (exit code 4)", async () => {
    vi.stubEnv("FJORD_API_KEY", "");
    try {
      const run = await fjord("queue", "--url", service.url);
      expect(run.code).toBe(EXIT_AUTH);
      expect(run.stderr).toMatch(/^fjord: no API key: give --api-key or set FJORD_API_KEY/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("takes the address and the key from FJORD_URL and FJORD_API_KEY", async () => {
    vi.stubEnv("FJORD_URL", service.url);
    vi.stubEnv("FJORD_API_KEY", service.operatorKey);
    try {
      const run = await fjord("status", runningJobId, "--json");
      expect(run.code).toBe(EXIT_OK);
      expect(jsonOf<Job>(run).id).toBe(runningJobId);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("reports a service that does not answer with exit code 5", async () => {
    const port = await closedPort();
    const run = await fjord("queue", "--url", `http://127.0.0.1:${port}`, "--api-key", "fjk_x_y");
    expect(run.code).toBe(EXIT_UNAVAILABLE);
    expect(run.stderr).toBe(
      `fjord: cannot reach the Fjord API at http://127.0.0.1:${port}: connection refused\n` +
        "(is fjord serve running there? the address comes from --url or FJORD_URL)\n",
    );
  });

  it("refuses an address that is not an http URL, naming the setting", async () => {
    const run = await fjord("queue", "--url", "localhost:8080", "--api-key", "fjk_x_y");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toMatch(/^--url \(or FJORD_URL\): must be an http:\/\/ or https:\/\/ URL/);
  });
});

/** A port nothing listens on: bound by the system, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
