// The dashboard's files: its page at / and /dashboard/, every script and stylesheet the page and its
// modules import, served from the package with no network and a policy that allows only this server.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  api.call(null, "GET", url, undefined, headers);

describe("the dashboard's files", () => {
  it("serves the page at / and /dashboard/ with a policy that allows this server's scripts only", async () => {
    for (const url of ["/", "/dashboard", "/dashboard/"]) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.body).toContain('<script type="module" src="/dashboard/app.js">');
    }
    const page = await get("/");
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page.body)![1]!;
    const hash = createHash("sha256").update(importMap).digest("base64");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    // Inline code runs only by hash: 'unsafe-hashes' admits just the hashed style attributes of a report's swatches.
    expect(csp).not.toMatch(/'unsafe-(inline|eval)'/);
    // A browser ignores an import map that comes after a module (or modulepreload) began to load.
    const mapAt = page.body.indexOf('<script type="importmap">');
    expect(mapAt).toBeLessThan(page.body.indexOf('rel="modulepreload"'));
    expect(mapAt).toBeLessThan(page.body.indexOf('<script type="module"'));
  });

  it("serves every module the page imports, and each module's own relative imports", async () => {
    const page = (await get("/")).body;
    const importMap = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(page)![1]!);
    const pending = [
      ...[...page.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1]!),
      ...(Object.values(importMap.imports) as string[]),
    ];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const url = pending.pop()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      if (url.endsWith(".js"))
        for (const m of res.body.matchAll(/from "(\.\/[^"]+)"/g))
          pending.push(new URL(m[1]!, `http://x${url}`).pathname);
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "/dashboard/app.js",
        "/dashboard/vendor/preact.mjs",
        "/dashboard/vendor/uplot.mjs",
      ]),
    );
  });

  it("answers 304 to a client that has the file", async () => {
    const first = await get("/dashboard/app.js");
    const again = await get("/dashboard/app.js", { "if-none-match": String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it("serves no file it does not know, whatever the path", async () => {
    for (const url of [
      "/dashboard/nothing.js",
      "/dashboard/../package.json",
      "/dashboard/%2e%2e/%2e%2e/package.json",
      "/dashboard/vendor/../../api/build-api.ts",
      "/dashboard/web/app.js",
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("repeats at most the start of an unknown name in its problem document", async () => {
    const res = await get(`/dashboard/${"a".repeat(9000)}`);
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.length).toBeLessThan(500);
  });
});
