// `fjord watch` against `fjord serve` in this process, its clock at an hour a second: a line per change
// until the job ends, exit 0 when it completed and 7 when it was cancelled, 3 for a job it cannot see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fjordInProcess as fjord, startTestService, type TestService } from "../../test/support/cli.ts";
import {
  EXIT_AUTH,
  EXIT_JOB_NOT_COMPLETED,
  EXIT_NOT_FOUND,
  EXIT_OK,
  EXIT_UNAVAILABLE,
} from "./exit-codes.ts";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.stop());

const as = (key: string, ...args: string[]) => fjord(...args, "--url", service.url, "--api-key", key);
const submit = async (key: string, ...flags: string[]) =>
  JSON.parse((await as(key, "submit", "--gpus", "4", "--json", ...flags)).stdout).id as string;

describe("fjord watch", () => {
  it("prints the job's changes until it completes, then exits 0", async () => {
    const key = service.tenantKey("aurora-labs");
    const id = await submit(key, "--runtime", "2h");
    const run = await as(key, "watch", id);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT_OK);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ  ${id}  completed after 2h, 8\\.0 GPU-hours$`),
    );
    expect(lines.some((l) => new RegExp(`  ${id}  running at no-test on 1 node$`).test(l))).toBe(true);
  });

  it("exits 7 when the job is cancelled while it waits, and prints each change as JSON with --json", async () => {
    const key = service.tenantKey("aurora-labs");
    const id = await submit(key, "--runtime", "1h", "--not-before", "2031-01-01T00:00:00Z");
    const watching = as(key, "watch", id, "--json");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await as(key, "cancel", id)).code).toBe(EXIT_OK);
    const run = await watching;
    expect(run.code).toBe(EXIT_JOB_NOT_COMPLETED);
    expect(run.stderr).toBe(`fjord: job ${id} ended cancelled\n`);
    const states = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; state: string });
    expect(states.map((j) => [j.id, j.state])).toEqual([
      [id, "queued"],
      [id, "cancelled"],
    ]);
  });

  it("ends at once when no service answers, and when the key is refused", async () => {
    const nobody = await fjord("watch", "job_0", "--url", "http://127.0.0.1:9", "--api-key", "fjk_key_x_y");
    expect(nobody.code).toBe(EXIT_UNAVAILABLE);
    expect(nobody.stderr).toMatch(/^fjord: the event stream of http:\/\/127\.0\.0\.1:9 failed/);
    const refused = await as("fjk_key_01m8ks28rbkxz2dkcdav0z2qk7_wrong", "watch", "job_0");
    expect(refused.code).toBe(EXIT_AUTH);
  });

  it("says a job it cannot see is not found", async () => {
    const other = await submit(service.tenantKey("sisu-ai"), "--runtime", "1h");
    const run = await as(service.tenantKey("aurora-labs"), "watch", other);
    expect(run.code).toBe(EXIT_NOT_FOUND);
  });
});
