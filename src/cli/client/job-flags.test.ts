import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../../test/support/catch-input-error.ts";
import { submissionFromFlags } from "./job-flags.ts";

describe("submissionFromFlags", () => {
  it("reads durations into seconds, lists at commas and labels at their first '='", () => {
    expect(
      submissionFromFlags({
        tenant: "aurora-labs",
        nodes: "2",
        gpusPerNode: "4",
        runtime: "1h30m",
        limit: "2h",
        checkpointInterval: "600",
        gpuModel: "GB300, H100",
        residency: "EEA,NO",
        maxLatency: "nordics:12.5",
        priority: "-2",
        label: ["team=nlp", "query=a=b"],
      }),
    ).toEqual({
      tenant: "aurora-labs",
      nodes: 2,
      gpusPerNode: 4,
      estimatedRuntimeS: 5400,
      limitS: 7200,
      checkpointIntervalS: 600,
      gpuModel: ["GB300", "H100"],
      residency: ["EEA", "NO"],
      maxLatency: { region: "nordics", ms: 12.5 },
      priority: -2,
      labels: { team: "nlp", query: "a=b" },
    });
  });

  it("sends a single GPU model as a model, and leaves out what was not given", () => {
    expect(submissionFromFlags({ gpus: "8", runtime: "2h", gpuModel: "GB300" })).toEqual({
      gpus: 8,
      estimatedRuntimeS: 7200,
      gpuModel: "GB300",
    });
  });

  it("reads the command as words or a JSON list, and the environment at each first '='", () => {
    const base = { gpus: "1", runtime: "1h", workdir: "/scratch", stdout: "/scratch/%j.out" };
    expect(
      submissionFromFlags({ ...base, command: " python  train.py --lr 3e-4 ", env: ["A=b=c", "HF_HOME=/d"] }),
    ).toEqual({
      gpus: 1,
      estimatedRuntimeS: 3600,
      command: ["python", "train.py", "--lr", "3e-4"],
      workDir: "/scratch",
      env: { A: "b=c", HF_HOME: "/d" },
      stdoutPath: "/scratch/%j.out",
    });
    expect(submissionFromFlags({ ...base, command: '["sh", "-c", "echo a  b; $(id)"]' }).command).toEqual([
      "sh",
      "-c",
      "echo a  b; $(id)",
    ]);
  });

  it("names the command flags that are wrong", () => {
    const err = catchInputError(() =>
      submissionFromFlags({ gpus: "1", runtime: "1h", command: "[nope", env: ["NOVALUE"], workdir: "rel" }),
    );
    expect(issueLines(err)).toEqual([
      '--command: must be words, or a JSON list like ["sh", "-c", "echo a b"]',
      '--env: "NOVALUE" must be NAME=value, like HF_HOME=/data',
      "--workdir: must be an absolute path (starting with /) without control characters",
    ]);
  });

  it("keeps a label named like an object property as a label", () => {
    const body = submissionFromFlags({ gpus: "1", runtime: "1h", label: ["__proto__=x"] });
    expect(Object.keys(body.labels ?? {})).toEqual(["__proto__"]);
  });

  it("names every wrong flag once, in the API's words where the API's rules apply", () => {
    const err = catchInputError(() =>
      submissionFromFlags({
        gpus: "4",
        nodes: "2",
        runtime: "0",
        residency: "eea",
        maxLatency: "nordics",
        label: ["team=a", "team=b"],
        notBefore: "tomorrow",
      }),
    );
    expect(err.source).toBe("command line");
    expect(issueLines(err)).toEqual([
      "--runtime: must be longer than 0",
      '--max-latency: "nordics" must be <region>:<ms>, like nordics:20',
      '--label: label "team" is given twice',
      "--residency: residency[0]: must be an upper-case jurisdiction tag like NO, EEA or GCC",
      "--not-before: must be an ISO 8601 timestamp with Z or an offset, like 2026-12-01T00:00:00Z",
    ]);
  });

  it("checks the rules between flags: a gang needs both sizes, the limit covers the runtime", () => {
    expect(issueLines(catchInputError(() => submissionFromFlags({ nodes: "2", runtime: "1h" })))).toEqual([
      "--gpus-per-node: is required with nodes (GPUs on each node)",
    ]);
    expect(
      issueLines(catchInputError(() => submissionFromFlags({ gpus: "4", runtime: "2h", limit: "1h" }))),
    ).toEqual([
      "--limit: must be at least estimatedRuntimeS (3600 < 7200): the job would always be stopped before it is expected to finish",
    ]);
  });

  it("asks for a size in flag terms when none is given", () => {
    expect(issueLines(catchInputError(() => submissionFromFlags({ runtime: "1h" })))).toEqual([
      "--gpus: needs a size: --gpus <n>, or --nodes <n> with --gpus-per-node <n>",
    ]);
  });
});
