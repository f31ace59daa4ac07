// The service's HTTP server, bound before anything else starts. A port another process has is then found
// before the data directory or any key exists, and orchestrators and users get answers at once: /healthz
// says the process is up, /readyz and every other request answer 503 saying what start-up is doing, until
// the API takes over each request (handOver) and, once the jobs are loaded, /readyz answers 200.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clientErrorHandler } from "../api/client-error.ts";

export interface EarlyServer {
  /** Where it listens, as `http://host:port`. */
  readonly url: string;
  /** What start-up is doing now, said by /readyz and by the 503s before the API takes over. */
  setStage(detail: string): void;
  /** From now on `app` answers every request (a Fastify app after `ready()`). */
  handOver(app: RequestRouter): void;
  /**
   * Stops taking connections at once and ends idle ones; resolves when the rest have ended, or when
   * `graceMs` has passed and they have been cut, so a client that never hangs up cannot hold the process.
   */
  close(graceMs: number): Promise<void>;
}

export interface RequestRouter {
  routing(req: IncomingMessage, res: ServerResponse): void;
}

/** Seconds a client is asked to wait before it tries again while the service starts. */
const RETRY_AFTER_S = 1;

/** Listens on host:port; rejects with the server's error (EADDRINUSE, EACCES…) when it cannot. */
export async function listenFirst(host: string, port: number): Promise<EarlyServer> {
  let stage = "starting";
  let router: RequestRouter | null = null;
  const server = createServer((req, res) => {
    if (router !== null) router.routing(req, res);
    else answerWhileStarting(req, res, stage);
  });
  // Before the API is built and after: this server, not Fastify's, holds the sockets.
  server.on("clientError", clientErrorHandler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closing: Promise<void> | null = null;
  return {
    url: urlOf(server),
    setStage: (detail) => {
      stage = detail;
    },
    handOver: (app) => {
      router = app;
    },
    close: (graceMs) => {
      closing ??= closeWithin(server, graceMs);
      return closing;
    },
  };
}

function answerWhileStarting(req: IncomingMessage, res: ServerResponse, stage: string): void {
  // The body, if any, is not read: drained so the connection can carry the client's next request.
  req.resume();
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/healthz") {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
    return;
  }
  const detail =
    path === "/readyz"
      ? `starting: ${stage}`
      : `Fjord is starting (${stage}); try again in ${RETRY_AFTER_S} s`;
  // The same problem document the API sends (src/api/problem.ts), written by hand: the API is not built yet.
  const body = JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail });
  res.writeHead(503, { "content-type": "application/problem+json", "retry-after": String(RETRY_AFTER_S) });
  res.end(req.method === "HEAD" ? undefined : body);
}

function closeWithin(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}
