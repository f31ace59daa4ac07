// Guessing keys over HTTP: past the failures one address may cause in a minute, its requests with keys it
// has not proved are answered 429 with Retry-After, unchecked, and keys it proved before still work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";
import { DEFAULT_AUTHENTICATOR_OPTIONS } from "./authenticator.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("failed authentications", () => {
  it("are throttled per address with a problem document and Retry-After", async () => {
    expect((await api.call("operator", "GET", "/v1/tenants")).statusCode).toBe(200);
    const wrong = `${api.keys.adminA.slice(0, -4)}AAAA`;
    const limit = DEFAULT_AUTHENTICATOR_OPTIONS.failuresPerAddressPerMin;
    for (let i = 0; i < limit; i++) {
      const refused = await api.call(null, "GET", "/v1/jobs", undefined, {
        authorization: `Bearer ${wrong}`,
      });
      expect(refused.statusCode).toBe(401);
    }
    const throttled = await api.call("adminA", "GET", "/v1/jobs");
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(throttled.json()).toMatchObject({
      status: 429,
      type: "urn:fjord:problem:rate-limited",
      detail: expect.stringMatching(/^too many requests with keys that are not valid from this address/),
    });
    // The operator key was proved before the guessing started.
    expect((await api.call("operator", "GET", "/v1/tenants")).statusCode).toBe(200);
  });
});

describe("failed authentications behind a trusted proxy", () => {
  it("are counted per client the proxy names, not per proxy", async () => {
    const behind = await startTestApi({ trustedProxies: ["127.0.0.1"] });
    try {
      const wrong = `${behind.keys.adminA.slice(0, -4)}AAAA`;
      const from = (client: string, key: string) =>
        behind.app.inject({
          method: "GET",
          url: "/v1/jobs",
          headers: { authorization: `Bearer ${key}`, "x-forwarded-for": client },
        });
      for (let i = 0; i < DEFAULT_AUTHENTICATOR_OPTIONS.failuresPerAddressPerMin; i++)
        expect((await from("203.0.113.5", wrong)).statusCode).toBe(401);
      expect((await from("203.0.113.5", behind.keys.adminA)).statusCode).toBe(429);
      expect((await from("203.0.113.6", behind.keys.adminA)).statusCode).toBe(200);
    } finally {
      await behind.close();
    }
  });
});
