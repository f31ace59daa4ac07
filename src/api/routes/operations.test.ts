import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallJob, startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";
import { loadFacilityFile } from "../../facility/load-facility-file.ts";
import { loadPolicyFile } from "../../policy/load-policy-file.ts";
import { ensureApiKeys } from "../../service/bootstrap-keys.ts";
import { prepareControlPlane } from "../../service/start-control-plane.ts";
import { openStore } from "../../store/open-store.ts";
import type { JobRecord } from "../../store/records.ts";
import { buildApi } from "../build-api.ts";

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

describe("while the control plane loads its jobs", () => {
  it("answers /healthz, says on /readyz what it loads, refuses scheduler calls with 503 and Retry-After, and serves stored reads", async () => {
    const store = await openStore({ dataDir: null });
    const keysDir = mkdtempSync(join(tmpdir(), "fjord-loading-"));
    // The load waits until the test lets it go, so every request below meets a control plane mid-load.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const liveJobs = store.liveJobs.bind(store);
    store.liveJobs = async (): Promise<JobRecord[]> => {
      await held;
      return liveJobs();
    };
    const { controlPlane, start } = await prepareControlPlane({
      store,
      facility: loadFacilityFile("facilities/small-two-sites.yaml"),
      policy: loadPolicyFile("policies/default.yaml"),
      loop: { debounceMs: 5, fullPassIntervalMs: 60_000 },
    });
    const keys = await ensureApiKeys(store, controlPlane.policy().tenants, controlPlane.nowMs(), keysDir);
    const tenantKey = keys.created.find((k) => k.role === "tenant-admin")!.key;
    const app = buildApi({ controlPlane });
    const call = (method: "GET" | "POST", url: string, body?: unknown) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${tenantKey}` },
        ...(body ? { payload: body } : {}),
      });
    const started = start();
    try {
      expect((await call("GET", "/healthz")).statusCode).toBe(200);
      const readyz = await call("GET", "/readyz");
      expect(readyz.statusCode).toBe(503);
      expect(readyz.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(readyz.headers["retry-after"]).toMatch(/^\d+$/);
      expect(readyz.json()).toMatchObject({
        status: 503,
        detail: "starting: reading the queued and running jobs from the database",
      });
      for (const [method, url, body] of [
        ["POST", "/v1/jobs", smallJob()],
        ["GET", "/v1/queue", undefined],
      ] as const) {
        const res = await call(method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(503);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(res.headers["retry-after"]).toMatch(/^\d+$/);
        expect(res.json().detail).toMatch(/^Fjord is starting \(reading the queued and running jobs/);
      }
      // Reads of stored records do not need the scheduler.
      expect((await call("GET", "/v1/jobs")).statusCode).toBe(200);

      release();
      await started;
      expect((await call("GET", "/readyz")).json()).toEqual({ status: "ok" });
      expect((await call("POST", "/v1/jobs", smallJob())).statusCode).toBe(201);
      expect((await call("GET", "/v1/queue")).statusCode).toBe(200);
    } finally {
      release();
      await app.close();
      await controlPlane.stop();
      await store.close();
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
