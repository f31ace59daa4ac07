import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type KeyName, smallJob, startTestApi, type TestApi } from "./api-test-harness.ts";

let api: TestApi;
let base: string;

beforeAll(async () => {
  api = await startTestApi({ heartbeatIntervalS: 0.05 });
  base = await api.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(() => api.close());

/** Opens /v1/events with a key and collects everything it sends. */
async function openStream(key: KeyName) {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/events`, {
    headers: { authorization: `Bearer ${api.keys[key]}` },
    signal: abort.signal,
  });
  let received = "";
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      received += chunk.value;
    }
  })();
  return {
    res,
    text: () => received,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

async function openStreams(): Promise<number> {
  const metrics = (await api.call(null, "GET", "/metrics")).body;
  return Number(/^fjord_event_streams (\d+)$/m.exec(metrics)?.[1]);
}

describe("GET /v1/events", () => {
  it("sends a tenant its own job events and never another tenant's", async () => {
    const a = await openStream("memberA");
    const b = await openStream("memberB");
    expect(a.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const jobOfA = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    await eventually("A's job event on A's stream", async () => a.text().includes(jobOfA));
    expect(a.text()).toMatch(new RegExp(`event: job\\ndata: \\{[^\\n]*"id":"${jobOfA}"`));
    // Events go out in order, so once B's own later job has arrived, A's would have arrived before it.
    const jobOfB = (await api.call("memberB", "POST", "/v1/jobs", smallJob())).json().id;
    await eventually("B's job event on B's stream", async () => b.text().includes(jobOfB));
    expect(b.text()).not.toContain(jobOfA);
    expect(a.text()).not.toContain(jobOfB);
    await a.close();
    await b.close();
  });

  it("shows an operator every tenant's job events and queue counts", async () => {
    const op = await openStream("operator");
    const jobOfA = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    await eventually("the job event", async () => op.text().includes(jobOfA));
    await eventually("a queue event", async () => op.text().includes("event: queue\ndata: "));
    await op.close();
  });

  it("sends heartbeat comments and forgets a client that disconnects", async () => {
    const a = await openStream("adminA");
    await eventually("a heartbeat", async () => a.text().includes(": heartbeat\n\n"));
    await eventually("one open stream", async () => (await openStreams()) === 1);
    await a.close();
    await eventually("the stream to be closed on the server", async () => (await openStreams()) === 0);
  });

  it("refuses a request without a key with a 401 problem", async () => {
    const res = await fetch(`${base}/v1/events`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
