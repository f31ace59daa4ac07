import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jobFromSubmission, jobSubmissionSchema } from "../../api/schemas/job-submission.ts";
import { wireErrorMap } from "../../api/validation.ts";
import type { Job } from "../../model/types.ts";
import { loadJobsFile } from "../../queue/load-jobs-file.ts";
import { submissionFromJob } from "./submission-body.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

const id = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
/** Text as both a job file and the API keep it: trimmed, not empty, no control characters. */
const text = (maxLength: number) =>
  fc.string({ minLength: 1, maxLength }).filter((s) => s.trim() === s && s !== "" && /^[^\p{Cc}]*$/u.test(s));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2100 = Date.UTC(2100, 0, 1);

const jobArb: fc.Arbitrary<Job> = fc
  .record({
    id,
    tenantId: id,
    name: text(40),
    shape: fc.oneof(
      fc.record({
        kind: fc.constant("gang" as const),
        nodes: fc.integer({ min: 1, max: 1000 }),
        gpusPerNode: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({ kind: fc.constant("gpus" as const), gpus: fc.integer({ min: 1, max: 100_000 }) }),
    ),
    gpuModels: nullable(fc.uniqueArray(fc.constantFrom("GB300", "H100", "B200"), { minLength: 1 })),
    estimatedRuntimeS: fc.integer({ min: 1, max: 10_000_000 }),
    slackS: fc.integer({ min: 0, max: 10_000_000 }),
    priority: fc.integer({ min: -1000, max: 1000 }),
    residency: nullable(fc.uniqueArray(fc.constantFrom("NO", "EEA", "EU", "GCC"), { minLength: 1 })),
    maxLatency: nullable(
      fc.record({
        region: text(20),
        ms: fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }),
      }),
    ),
    checkpointIntervalS: nullable(fc.integer({ min: 1, max: 1_000_000 })),
    notBeforeAtMs: nullable(fc.integer({ min: YEAR_2000, max: YEAR_2100 })),
    deadlineAfterS: nullable(fc.integer({ min: 0, max: 10_000_000 })),
    topology: fc.constantFrom("auto", "nvlink-domain", "network-block", "site"),
    labels: fc.dictionary(
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$/),
      fc.string({ maxLength: 30 }).filter((s) => /^[^\p{Cc}]*$/u.test(s)),
      {
        maxKeys: 4,
      },
    ),
    submittedAtMs: fc.integer({ min: YEAR_2000, max: YEAR_2100 }),
  })
  .map(({ slackS, deadlineAfterS, maxLatency, ...job }) => ({
    ...job,
    // -0 is not JSON: it arrives as 0, which is the same latency.
    maxLatency: maxLatency === null ? null : { ...maxLatency, ms: maxLatency.ms === 0 ? 0 : maxLatency.ms },
    limitS: job.estimatedRuntimeS + slackS,
    deadlineAtMs: deadlineAfterS === null ? null : (job.notBeforeAtMs ?? YEAR_2000) + deadlineAfterS * 1000,
  }));

/** What the service makes of a body: the API's own schema, then its conversion to the scheduler's Job. */
function asServiceReadsIt(
  body: unknown,
  stored: { id: string; tenantId: string; submittedAtMs: number },
): Job {
  const wire: unknown = JSON.parse(JSON.stringify(body));
  return jobFromSubmission(jobSubmissionSchema.parse(wire, { error: wireErrorMap }), stored);
}

describe("submissionFromJob", () => {
  it("sends a job file's job so that the service reads back exactly the same job", () => {
    fc.assert(
      fc.property(jobArb, (job) => {
        expect(asServiceReadsIt(submissionFromJob(job), job)).toEqual(job);
      }),
      { numRuns: RUNS },
    );
  });

  it("turns every job of the demo file into a body the API accepts, in seconds and ISO 8601", () => {
    const jobs = loadJobsFile("workloads/demo-jobs.yaml", { nowMs: 0 });
    for (const job of jobs) expect(jobSubmissionSchema.safeParse(submissionFromJob(job)).success).toBe(true);
    expect(submissionFromJob(jobs[0]!)).toEqual({
      tenant: "aurora-labs",
      name: "pretrain-nordic-34b",
      nodes: 576,
      gpusPerNode: 4,
      gpuModel: ["GB300"],
      estimatedRuntimeS: 72 * 3600,
      limitS: 96 * 3600,
      priority: 0,
      residency: ["EEA"],
      checkpointIntervalS: 3600,
      topology: "network-block",
      labels: { project: "llm", phase: "pretrain" },
    });
  });
});
