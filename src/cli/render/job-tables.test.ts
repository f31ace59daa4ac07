import { describe, expect, it } from "vitest";
import type { JobWire } from "../../api/schemas/job.ts";
import { jobDetail } from "./job-tables.ts";

const JOB: JobWire = {
  id: "job_01",
  tenant: "aurora-labs",
  name: "finetune",
  nodes: null,
  gpusPerNode: null,
  gpus: 4,
  gpuModels: null,
  estimatedRuntimeS: 3600,
  limitS: 5400,
  priority: 0,
  residency: ["EEA"],
  maxLatency: null,
  checkpointIntervalS: null,
  notBefore: null,
  deadline: null,
  deferral: null,
  topology: "auto",
  labels: {},
  command: null,
  workDir: null,
  env: null,
  stdoutPath: null,
  stderrPath: null,
  submittedAt: "2026-12-01T00:00:00.000Z",
  state: "queued",
  submittedBy: "key_1",
  startedAt: null,
  endedAt: null,
  allocation: null,
  clusterGpus: null,
  restarts: 0,
  gpuHoursUsed: 0,
};

const deferralRow = (job: JobWire) =>
  jobDetail(job, null)
    .split("\n")
    .find((line) => line.includes("Deferral"));

describe("jobDetail", () => {
  it("says where a job was deferred to and why, and when an opted-in job was not", () => {
    expect(deferralRow(JOB)).toBeUndefined();
    const deferred: JobWire = {
      ...JOB,
      notBefore: "2026-12-01T03:00:00.000Z",
      deadline: "2026-12-01T12:00:00.000Z",
      deferral: {
        deferred: true,
        until: "2026-12-01T03:00:00.000Z",
        signal: "carbon",
        saving: 0.62,
        deadline: "2026-12-01T12:00:00.000Z",
      },
    };
    expect(deferralRow(deferred)).toMatch(
      /│ Deferral +│ deferred to 2026-12-01T03:00Z: 62 % cleaner hours, ending by 2026-12-01T12:00Z +│/,
    );
    const cheaper = {
      ...deferred,
      deferral: { ...deferred.deferral!, signal: "price", deadline: null },
    } as JobWire;
    expect(deferralRow(cheaper)).toMatch(
      /│ Deferral +│ deferred to 2026-12-01T03:00Z: 62 % cheaper hours +│/,
    );
    expect(deferralRow({ ...JOB, deferral: { deferred: false } })).toMatch(
      /│ Deferral +│ not deferred: waiting would not save enough, or there were no signals +│/,
    );
  });
});
