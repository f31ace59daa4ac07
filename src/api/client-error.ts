// Requests so malformed that no HTTP framework sees them still get a problem document. Used by the API's
// own server and by the one `fjord serve` listens on before the API is built (src/service/listen-first.ts).
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

/**
 * Node's `clientError`: a request so malformed that it never becomes one (bad request line, headers too
 * large, a request that took too long) is answered with a problem document on the raw socket.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const status =
    err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const detail =
    status === 408
      ? "the request took too long to arrive"
      : status === 431
        ? "the request headers are larger than this server accepts"
        : "the request is not valid HTTP";
  const body = JSON.stringify({ type: "about:blank", title: STATUS_CODES[status], status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
