import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";
import { MAX_COMMAND_BYTES, MAX_ENV_VARS } from "../../model/job-command-schema.ts";

// no-test (NO, EEA) runs on a cluster with no default command; ae-test (AE, GCC) is simulated.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { sitesNeedingCommand: ["no-test"] });
});
afterAll(() => api.close());

const submit = (body: Record<string, unknown>) => api.call("memberA", "POST", "/v1/jobs", smallJob(body));

/** The fields a 400 names, with their reasons. */
async function refusal(
  body: Record<string, unknown>,
  status = 400,
): Promise<{ field: string; reason: string }[]> {
  const res = await submit(body);
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  return res.json().errors;
}

describe("a job's command on the wire", () => {
  it("keeps the command, working directory, environment and output paths exactly as given", async () => {
    const argv = ["python", "train.py", "--name", "$(rm -rf /) `id` ; echo 'x'", "", "ø 🚀\ttab\nline"];
    const res = await submit({
      residency: ["NO"],
      command: argv,
      workDir: "/scratch/a b",
      env: { HF_HOME: "/data/hf", constructor: "c", toString: "s", EMPTY: "" },
      stdoutPath: "/scratch/out-%j.log",
      stderrPath: "/scratch/err-%j.log",
    });
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      command: argv,
      workDir: "/scratch/a b",
      env: { EMPTY: "", HF_HOME: "/data/hf", constructor: "c", toString: "s" },
      stdoutPath: "/scratch/out-%j.log",
      stderrPath: "/scratch/err-%j.log",
      clusterGpus: null,
    });
    const read = await api.call("memberA", "GET", `/v1/jobs/${job.id}`);
    expect(read.json()).toMatchObject({ command: argv, env: job.env });
  });

  it("refuses a job without a command when a site it may run at needs one, naming the field", async () => {
    // 422, as for every job that could never run as given.
    const errors = await refusal({ residency: ["NO"] }, 422);
    expect(errors).toEqual([{ field: "command", reason: expect.stringContaining("no-test") }]);
    // Anywhere: the job could still be placed at no-test, so it is refused too.
    expect((await refusal({}, 422)).map((e) => e.field)).toEqual(["command"]);
  });

  it("takes a job without a command whose residency leaves only sites that need none", async () => {
    const res = await submit({ residency: ["GCC"], gpuModel: null });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ command: null, workDir: null, env: null });
  });

  it.each([
    ["a NUL in an argument", { command: ["sh", "a\u0000b"] }, "command[1]"],
    ["a lone surrogate in an argument", { command: ["sh", "\ud800"] }, "command[1]"],
    ["an empty command", { command: [] }, "command"],
    ["a blank program", { command: [" "] }, "command"],
    ["a relative working directory", { command: ["sh"], workDir: "scratch" }, "workDir"],
    ["a control character in a path", { command: ["sh"], stdoutPath: "/a\nb" }, "stdoutPath"],
    ["a working directory without a command", { workDir: "/scratch" }, "workDir"],
    ["an environment without a command", { env: { A: "b" } }, "env"],
    ["a variable name with '='", { command: ["sh"], env: { "A=B": "x" } }, 'env["A=B"]'],
    ["a variable name starting with a digit", { command: ["sh"], env: { "1A": "x" } }, "env.1A"],
    ["a variable Fjord sets", { command: ["sh"], env: { FJORD_JOB_ID: "x" } }, "env.FJORD_JOB_ID"],
    ["a variable Slurm sets", { command: ["sh"], env: { SLURM_CONF: "/etc/other" } }, "env.SLURM_CONF"],
    ["a NUL in a value", { command: ["sh"], env: { A: "x\u0000" } }, "env.A"],
  ])("refuses %s, naming the field", async (_what, body, field) => {
    const errors = await refusal({ residency: ["NO"], ...body });
    expect(errors.map((e) => e.field)).toContain(field);
  });

  it("refuses `__proto__` as a variable name rather than dropping it", async () => {
    const payload = `{"gpus":4,"estimatedRuntimeS":3600,"notBefore":"2031-01-01T00:00:00Z","residency":["NO"],"command":["sh"],"env":{"__proto__":{"polluted":"yes"}}}`;
    const res = await api.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: { authorization: `Bearer ${api.keys.memberA}`, "content-type": "application/json" },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(["env.__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses too many variables, and a command and environment too large together", async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ENV_VARS + 1 }, (_, i) => [`V${i}`, "x"]));
    expect((await refusal({ command: ["sh"], env: many })).map((e) => e.field)).toEqual(["env"]);
    const big = Array.from({ length: 4 }, () => "y".repeat(MAX_COMMAND_BYTES / 4));
    expect((await refusal({ command: ["sh", ...big] })).map((e) => e.field)).toContain("command");
  });
});
