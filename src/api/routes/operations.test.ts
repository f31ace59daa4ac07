import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";

let api: TestApi;
const logLines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(
        ...String(chunk)
          .split("\n")
          .filter((l) => l !== ""),
      );
      done();
    },
  });
  api = await startTestApi({ logger: { level: "info", stream } });
});
afterAll(() => api.close());

describe("operations endpoints", () => {
  it("answers /healthz and /readyz without a key", async () => {
    expect((await api.call(null, "GET", "/healthz")).json()).toEqual({ status: "ok" });
    expect((await api.call(null, "GET", "/readyz")).json()).toEqual({ status: "ok" });
  });

  it("exposes queue, allocation, pass and lag figures and request latency by route pattern in /metrics", async () => {
    const id = (await api.call("adminA", "POST", "/v1/jobs", smallJob())).json().id;
    await api.call("adminA", "GET", `/v1/jobs/${id}`);
    await api.call("adminA", "GET", "/v1/jobs/job_00000000000000000000000000");
    const res = await api.call(null, "GET", "/metrics");
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/^fjord_queue_jobs\{tier="national"\} \d+$/m);
    expect(text).toMatch(/^fjord_allocated_gpus\{tier="global"\} \d+$/m);
    expect(text).toMatch(/^fjord_scheduling_passes_total [1-9]\d*$/m);
    expect(text).toMatch(/^fjord_scheduling_pass_duration_seconds [\d.e-]+$/m);
    expect(text).toMatch(/^fjord_executor_lag_seconds [\d.e-]+$/m);
    expect(text).toMatch(
      /^fjord_http_request_duration_seconds_count\{method="GET",route="\/v1\/jobs\/:id",status="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^fjord_http_request_duration_seconds_count\{method="GET",route="\/v1\/jobs\/:id",status="404"\} 1$/m,
    );
    expect(text).toMatch(
      /^fjord_http_request_duration_seconds_count\{method="POST",route="\/v1\/jobs",status="201"\} 1$/m,
    );
  });

  it("writes structured JSON request logs without the API key", async () => {
    await api.call("memberA", "GET", "/v1/queue");
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.some((e) => e.msg === "request completed" && typeof e.reqId === "string")).toBe(true);
    expect(logLines.join("\n")).not.toContain(api.keys.memberA);
  });

  it("reports not ready once the control loop has stopped", async () => {
    const other = await startTestApi();
    await other.controlPlane.stop();
    const res = await other.call(null, "GET", "/readyz");
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 503, detail: "the control loop is not running" });
    await other.app.close();
    await other.controlPlane.store.close();
  });
});
