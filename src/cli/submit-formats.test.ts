// `fjord submit` takes every jobs format Fjord documents — YAML, Fjord's CSV and JSON lines — and refuses
// anything else by naming the formats it takes; end to end against `fjord serve` running in this process.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fjordInProcess, startTestService, type TestService } from "../../test/support/cli.ts";
import { EXIT_BAD_INPUT, EXIT_OK } from "./exit-codes.ts";

const FIXTURES = "test/fixtures/workloads";

let service: TestService;
let work: string;

const asOperator = (...args: string[]) =>
  fjordInProcess(...args, "--url", service.url, "--api-key", service.operatorKey);

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

interface Job {
  id: string;
  name: string;
  tenant: string;
  gpuModel: string[] | null;
  residency: string[] | null;
  [field: string]: unknown;
}

beforeAll(async () => {
  service = await startTestService();
  work = mkdtempSync(join(tmpdir(), "fjord-submit-formats-"));
});

afterAll(async () => {
  await service?.stop();
  rmSync(work, { recursive: true, force: true });
});

/**
 * A copy of a fixture whose deadline (fixed in the file, to test time zones) lies a month ahead: the
 * service refuses a deadline more than a day past, which the fixture's own reaches as the calendar moves.
 */
function withFutureDeadline(name: string): string {
  const text = readFileSync(`${FIXTURES}/${name}`, "utf8");
  const ahead = new Date(Date.now() + 30 * 86_400_000).toISOString();
  if (!text.includes(FIXTURE_DEADLINE))
    throw new Error(`${name} no longer has the deadline ${FIXTURE_DEADLINE}`);
  return file(name, text.replaceAll(FIXTURE_DEADLINE, ahead));
}
const FIXTURE_DEADLINE = "2026-12-06T00:00:00+01:00";

/** The jobs a submission printed with --json, by name. */
function byName(run: { stdout: string }): Map<string, Job> {
  return new Map((JSON.parse(run.stdout) as Job[]).map((j) => [j.name, j]));
}

describe("fjord submit reads every jobs format Fjord documents", () => {
  it("submits a Fjord CSV file's jobs and names a refused row by its column and line", async () => {
    const csv = withFutureDeadline("fjord-jobs.csv");
    const run = await asOperator("submit", csv, "--json");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    const jobs = byName(run);
    expect([...jobs.keys()]).toEqual(["eval-002", "notebook-003"]);
    expect(jobs.get("eval-002")).toMatchObject({
      tenant: "sisu-ai",
      gpus: 8,
      gpuModels: ["GB300", "H100"],
      residency: ["EEA", "NO"],
      estimatedRuntimeS: 7200,
    });
    expect(jobs.get("notebook-003")).toMatchObject({ tenant: "meridian-cloud", gpus: 1, limitS: 2700 });
    // pretrain-001 asks for 576 nodes of 4 GPUs, more than the small facility has.
    expect(run.stderr).toMatch(new RegExp(`^${csv}: nodes: refused: never fits: [^\n]* \\(line 2\\)\n$`));
  });

  it("submits a JSON-lines file's jobs: the same jobs as the CSV's, so the same submissions", async () => {
    const fromCsv = byName(await asOperator("submit", withFutureDeadline("fjord-jobs.csv"), "--json"));
    const jsonl = withFutureDeadline("fjord-jobs.jsonl");
    const run = await asOperator("submit", jsonl, "--json");
    expect(run.code).toBe(EXIT_BAD_INPUT);
    const fromJsonl = byName(run);
    expect([...fromJsonl.keys()]).toEqual(["eval-002", "notebook-003"]);
    for (const [name, job] of fromJsonl) expect(job.id).toBe(fromCsv.get(name)!.id);
    expect(run.stderr).toMatch(new RegExp(`^${jsonl}: nodes: refused: never fits: [^\n]* \\(line 1\\)\n$`));
  });

  it("names a CSV file's invalid cell at its column and line, and submits nothing", async () => {
    const csv = file("bad.csv", "tenant,gpus,estimatedRuntime\naurora-labs,4,1h\naurora-labs,four,1h\n");
    const run = await asOperator("submit", csv);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`${csv}: gpus: must be a number, not "four" (line 3)\n`);
  });

  it("reads .yml as YAML, a bare list included", async () => {
    const yml = join(work, "bare-list.yml");
    copyFileSync("test/fixtures/jobs-bare-list.yaml", yml);
    const run = await asOperator("submit", yml);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stderr).toMatch(/: jobs\[1\]\.limit: must be at least estimatedRuntime .*\(line 8\)\n$/);
  });

  it("refuses a file in no format it reads, naming the formats it takes", async () => {
    const json = file("jobs.json", '{"jobs":[{"tenant":"aurora-labs","gpus":4,"estimatedRuntime":"1h"}]}');
    const run = await asOperator("submit", json);
    expect(run).toEqual({
      code: EXIT_BAD_INPUT,
      stdout: "",
      stderr:
        `${json}: is not a job file fjord submit reads: name it .yaml or .yml (the YAML job format), ` +
        ".csv (Fjord's jobs CSV), .jsonl or .ndjson (JSON lines)\n",
    });
  });

  it("refuses the Alibaba trace's task list, which has no tenants, pointing at fjord simulate", async () => {
    const run = await asOperator("submit", `${FIXTURES}/alibaba-pods-rules.csv`);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("alibaba-pods-rules.csv: is an Alibaba trace task list");
    expect(run.stderr).toContain("fjord simulate --workload");
  });

  it("still submits a YAML job file", async () => {
    const yaml = file(
      "one.yaml",
      "jobs:\n  - { id: yaml-job, tenant: fjellbit, gpus: 4, estimatedRuntime: 1h }\n",
    );
    const ok = await asOperator("submit", yaml);
    expect(ok.code).toBe(EXIT_OK);
    expect(ok.stdout).toMatch(/│ yaml-job +│ job_[0-9a-z]{26} │ fjellbit +│ +4 │/);
  });
});
