import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  type KeyName,
  smallJob,
  startTestApi,
  TENANT_B,
  type TestApi,
} from "../../test/support/api-test-harness.ts";

let api: TestApi;
let base: string;

beforeAll(async () => {
  api = await startTestApi({ heartbeatIntervalS: 0.05 });
  base = await api.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(() => api.close());

/** Opens /v1/events with a key and collects everything it sends. */
async function openStream(key: KeyName, lastEventId?: string) {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/events`, {
    headers: {
      authorization: `Bearer ${api.keys[key]}`,
      ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
    },
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

/** Submits a job of tenant A's with a stream open for `key`, and gives the id of the last event it got. */
async function lastEventIdAfterAJob(key: KeyName): Promise<{ jobId: string; lastId: string }> {
  const stream = await openStream(key);
  const jobId = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id as string;
  await eventually("the job's event", async () => stream.text().includes(jobId));
  await stream.close();
  return { jobId, lastId: [...stream.text().matchAll(/^id: (\S+)$/gm)].at(-1)![1]! };
}

async function openStreams(): Promise<number> {
  const metrics = (await api.call(null, "GET", "/metrics")).body;
  return Number(/^fjord_event_streams (\d+)$/m.exec(metrics)?.[1]);
}

describe("GET /v1/events", () => {
  it.each(["?tenant=tenant-b", "?foo=bar"])(
    "refuses a query parameter (%s) as every other route does, naming it",
    async (query) => {
      const res = await api.call("memberA", "GET", `/v1/events${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toEqual([
        { field: expect.any(String), reason: expect.stringMatching(/known/) },
      ]);
    },
  );

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

  it("resumes after Last-Event-ID with exactly the events missed that the caller may see", async () => {
    const { jobId: first, lastId } = await lastEventIdAfterAJob("memberA");

    // While A is away: a job of A's, one of B's, and A's cancellation.
    const missed = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    const ofB = (await api.call("memberB", "POST", "/v1/jobs", smallJob())).json().id;
    await api.call("memberA", "POST", `/v1/jobs/${missed}/cancel`);
    await eventually(
      "the cancellation to be recorded",
      async () => (await api.call("memberA", "GET", `/v1/jobs/${missed}`)).json().state === "cancelled",
    );

    const resumed = await openStream("memberA", lastId);
    await eventually("the missed events", async () => resumed.text().includes('"state":"cancelled"'));
    await resumed.close();
    const jobEvents = [...resumed.text().matchAll(/^event: job\ndata: (.*)$/gm)].map(
      (m) => JSON.parse(m[1]!).job as { id: string; state: string },
    );
    expect(jobEvents.map((j) => [j.id, j.state])).toEqual([
      [missed, "queued"],
      [missed, "cancelled"],
    ]);
    expect(resumed.text()).not.toContain(first);
    expect(resumed.text()).not.toContain(ofB);
    // Ids keep increasing across the two streams.
    const ids = [...resumed.text().matchAll(/^id: \S+-(\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBeGreaterThan(Number(lastId.split("-").at(-1)));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it("replays more than a client may leave unread at once, as the client reads it", async () => {
    const { lastId } = await lastEventIdAfterAJob("operator");
    // About 1.3 MB of job events, more than the 1 MiB a live client may leave unread, from a key whose
    // rate limit allows them.
    const bulk = { authorization: `Bearer ${await api.addKey("tenant-admin", TENANT_B, 100_000)}` };
    const ids: string[] = [];
    for (let batch = 0; batch < 40; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => api.call(null, "POST", "/v1/jobs", smallJob(), bulk)),
      );
      expect(answers.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
      ids.push(...answers.map((r) => r.json().id as string));
    }
    const resumed = await openStream("operator", lastId);
    await eventually("the last missed event", async () => resumed.text().includes(ids.at(-1)!));
    await resumed.close();
    expect(resumed.text().length).toBeGreaterThan(1024 * 1024);
    for (const id of ids) expect(resumed.text()).toContain(id);
  });

  it("sends a reset event for an id it does not know, then goes on live", async () => {
    const stream = await openStream("memberA", "before-a-restart-42");
    await eventually("the reset event", async () => stream.text().includes("event: reset\n"));
    expect(stream.text()).toContain(
      'event: reset\ndata: {"reason":"unknown-id","detail":"Last-Event-ID is not an event of this server (it may have restarted)"}\n\n',
    );
    const job = (await api.call("memberA", "POST", "/v1/jobs", smallJob())).json().id;
    await eventually("a live event after the reset", async () => stream.text().includes(job));
    await stream.close();
  });

  it("refuses a request without a key with a 401 problem", async () => {
    const res = await fetch(`${base}/v1/events`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
