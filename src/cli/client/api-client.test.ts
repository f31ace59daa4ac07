// The client against servers that are not Fjord's API (a proxy's error page, another service, another
// version): answers the real service never gives, which must still end in a clear message and exit code 5.
// The answers of the real service are covered end to end in src/cli/api-commands.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { EXIT_UNAVAILABLE } from "../exit-codes.ts";
import { ApiClient, apiPath } from "./api-client.ts";
import { NotFjordApiError } from "./api-errors.ts";

let server: Server | null = null;
const seen: IncomingMessage[] = [];

/** A server answering every request with `status`, `contentType` and `body`; resolves to its base URL. */
function answering(status: number, contentType: string, body: string): Promise<URL> {
  return new Promise((resolve) => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      seen.push(request);
      response.writeHead(status, { "content-type": contentType }).end(body);
    });
    server.listen(0, "127.0.0.1", () => {
      const address = server?.address();
      resolve(new URL(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`));
    });
  });
}

afterEach(async () => {
  seen.length = 0;
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

async function failure(promise: Promise<unknown>): Promise<NotFjordApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof NotFjordApiError)) throw new Error(`expected NotFjordApiError, got ${String(err)}`);
  return err;
}

const schema = z.object({ at: z.string() });

describe("ApiClient", () => {
  it("sends the key as a bearer token to /v1 under the base URL's own path", async () => {
    const base = await answering(200, "application/json", '{"at":"now"}');
    const client = new ApiClient({ baseUrl: new URL("/fjord", base), apiKey: "fjk_a_b" });
    const answer = await client.get(apiPath("jobs", "../tenants"), schema, {
      state: "queued",
      tenant: undefined,
    });
    expect(answer).toEqual({ status: 200, data: { at: "now" }, json: { at: "now" } });
    expect(seen[0]?.url).toBe("/fjord/v1/jobs/..%2Ftenants?state=queued");
    expect(seen[0]?.headers.authorization).toBe("Bearer fjk_a_b");
  });

  it("reports an answer that is not JSON, such as a proxy's error page (exit code 5)", async () => {
    const base = await answering(502, "text/html", "<h1>Bad Gateway</h1>");
    const err = await failure(new ApiClient({ baseUrl: base, apiKey: "k" }).get("queue", schema));
    expect(err.message).toBe(
      `fjord: GET /v1/queue: the service at ${base.href.replace(/\/$/, "")} did not answer as Fjord's API: ` +
        "it answered 502 with a body that is not JSON",
    );
    expect(err.exitCode).toBe(EXIT_UNAVAILABLE);
  });

  it("reports an error without a problem document, and a success of another form", async () => {
    const base = await answering(404, "application/json", '{"error":"nope"}');
    const client = new ApiClient({ baseUrl: base, apiKey: "k" });
    expect((await failure(client.get("queue", schema))).message).toMatch(
      /it answered 404 without a problem document$/,
    );
    await new Promise((resolve) => server?.close(resolve));
    const other = await answering(200, "application/json", '{"at":42}');
    const err = await failure(new ApiClient({ baseUrl: other, apiKey: "k" }).get("queue", schema));
    expect(err.message).toMatch(
      /its answer does not have the form this fjord expects \(at: .*\); are fjord and the service the same version\?$/,
    );
  });
});
