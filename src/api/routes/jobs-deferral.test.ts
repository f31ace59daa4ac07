// Jobs that opt into deferral through the API: the decision shows on the job, and a retried submission
// with the same Idempotency-Key returns the stored job, whose deferral the retry itself could not carry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";
import type { Period } from "../../accounting/period.ts";
import { loadPolicyFile } from "../../policy/load-policy-file.ts";
import type { DeferralSignals } from "../../service/live-control-plane.ts";

const H = 3_600_000;

/** 300 g/kWh, except 60 g/kWh from the third to the sixth whole hour after the period's start. */
const dirtyThenClean: DeferralSignals = {
  signalsFor: (period: Period) => {
    const hours = Math.ceil((period.toMs - period.fromMs) / H);
    const carbon = Float64Array.from({ length: hours }, (_, h) => (h >= 3 && h < 6 ? 60 : 300));
    const series = {
      fromMs: period.fromMs,
      outdoorTemperatureC: new Float64Array(hours),
      carbonGPerKWh: carbon,
      priceEurPerMWh: carbon,
    };
    return {
      ok: true,
      signals: {
        source: "test",
        bySite: new Map([
          ["no-test", series],
          ["ae-test", series],
        ]),
      },
    };
  },
};

let api: TestApi;
beforeAll(async () => {
  const policy = loadPolicyFile("policies/default.yaml");
  api = await startTestApi(
    {},
    {
      policy: { ...policy, deferral: { signal: "carbon", minSaving: 0.1, maxDelayS: 12 * 3600 } },
      signals: dirtyThenClean,
    },
  );
});
afterAll(() => api.close());

describe("POST /v1/jobs with deferral", () => {
  it("shows the deferral on the job and returns the stored job to a retry with the same key", async () => {
    const body = smallJob({ notBefore: null, limitS: 3600, labels: { deferrable: "true" } });
    const headers = { "idempotency-key": "deferred-retry-1" };
    const first = await api.call("memberA", "POST", "/v1/jobs", body, headers);
    expect(first.statusCode).toBe(201);
    const job = first.json();
    expect(job.deferral).toMatchObject({ deferred: true, signal: "carbon" });
    expect(job.deferral.saving).toBeCloseTo(0.8, 9);
    expect(job.notBefore).toBe(job.deferral.until);

    const retry = await api.call("memberA", "POST", "/v1/jobs", body, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(job.id);
    // A different body under the same key is still a conflict.
    const other = await api.call("memberA", "POST", "/v1/jobs", { ...body, name: "other" }, headers);
    expect(other.statusCode).toBe(409);
  });

  it("says when an opted-in job was not deferred, and leaves other jobs without a decision", async () => {
    const rigid = (await api.call("memberA", "POST", "/v1/jobs", smallJob({ notBefore: null }))).json();
    expect(rigid.deferral).toBeNull();
    // A deadline an hour away leaves no cleaner hour to wait for.
    const soon = new Date(Date.now() + 2 * H).toISOString();
    const body = smallJob({ notBefore: null, limitS: 3600, deadline: soon, labels: { deferrable: "true" } });
    const headers = { "idempotency-key": "not-deferred-1" };
    const first = await api.call("memberA", "POST", "/v1/jobs", body, headers);
    expect(first.json().deferral).toEqual({ deferred: false });
    expect((await api.call("memberA", "POST", "/v1/jobs", body, headers)).statusCode).toBe(200);
  });
});
