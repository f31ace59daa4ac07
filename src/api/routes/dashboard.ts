// The web dashboard: its page at / and /dashboard/, its scripts and styles under /dashboard/ from src/web,
// and the browser builds of Preact, htm and uPlot from the installed packages, so it works with no network
// and no build step. Only files known at start are served (no path from a request reaches the disk), and
// the page may load scripts from this server only: its one inline script, the import map, is allowed by
// hash. Everything the dashboard shows it reads from /v1 with the user's own key, as any client would.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiApp } from "../api-context.ts";
import { notFound } from "../problem.ts";
import { reportSourceHashes } from "../simulation-reports.ts";

const WEB_DIR = fileURLToPath(new URL("../../web/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The browser builds the page imports, by the name it imports them under /dashboard/vendor/. */
function vendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const packageDir = (entry: string) => join(dirname(require.resolve(entry)), "..");
  const preact = packageDir("preact");
  return {
    "preact.mjs": join(preact, "dist", "preact.mjs"),
    "preact-hooks.mjs": join(preact, "hooks", "dist", "hooks.mjs"),
    "htm.mjs": join(packageDir("htm"), "dist", "htm.mjs"),
    "uplot.mjs": require.resolve("uplot/dist/uPlot.esm.js"),
    "uplot.css": require.resolve("uplot/dist/uPlot.min.css"),
  };
}

function webFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return webFiles(path);
    return entry.name.endsWith(".test.ts") || CONTENT_TYPES[extname(entry.name)] === undefined ? [] : [path];
  });
}

function asset(path: string): Asset {
  const body = readFileSync(path);
  return {
    body,
    contentType: CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
  };
}

/** The page's policy: this origin only, plus the import map by its hash. */
function contentSecurityPolicy(html: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (importMap === undefined) throw new Error("src/web/index.html has no import map");
  const hash = createHash("sha256").update(importMap).digest("base64");
  // A simulation report is shown in a sandboxed srcdoc frame, which keeps this policy: its inline chart
  // scripts and styles (and its legend swatches' style attributes) are allowed by hash, as this Fjord writes
  // them, and nothing else inline.
  const report = reportSourceHashes();
  return [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}' ${report.scripts.join(" ")}`,
    `style-src 'self' ${report.styles.join(" ")} 'unsafe-hashes' ${report.styleAttributes.join(" ")}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export function dashboardRoutes(app: ApiApp): void {
  const assets = new Map<string, Asset>();
  for (const path of webFiles(WEB_DIR)) assets.set(relative(WEB_DIR, path).split(sep).join("/"), asset(path));
  for (const [name, path] of Object.entries(vendorFiles())) assets.set(`vendor/${name}`, asset(path));
  const page = assets.get("index.html");
  if (page === undefined) throw new Error(`no index.html in ${WEB_DIR}`);
  const csp = contentSecurityPolicy(page.body.toString("utf8"));

  const send = (request: FastifyRequest, reply: FastifyReply, file: Asset) => {
    reply
      .header("content-type", file.contentType)
      .header("etag", file.etag)
      // Revalidated on every load, so an upgraded Fjord never runs yesterday's scripts.
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header("content-security-policy", csp);
    if (request.headers["if-none-match"] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };
  const routeOptions = { schema: { hide: true } };
  for (const url of ["/", "/dashboard", "/dashboard/"])
    app.get(url, routeOptions, (request, reply) => send(request, reply, page));
  app.get("/dashboard/*", routeOptions, (request, reply) => {
    const name = (request.params as { "*": string })["*"];
    const file = assets.get(name);
    // The name is the client's: a problem document repeats at most its start.
    const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
    if (file === undefined) throw notFound(`no dashboard file ${JSON.stringify(shown)}`);
    return send(request, reply, file);
  });
}
