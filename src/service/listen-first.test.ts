import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { listenFirst } from "./listen-first.ts";

/** Sends raw bytes and reads the whole answer, as a client that does not speak HTTP would. */
function sendRaw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(bytes, "latin1")));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("the server fjord serve listens on", () => {
  it.each([
    ["bytes that are no HTTP request", "GARBAGE\r\n\r\n", 400],
    [
      "a header with a control byte",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nLast-Event-ID: a\x01b\r\n\r\n",
      400,
    ],
    [
      "Content-Length together with Transfer-Encoding",
      "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
    ],
    [
      "headers larger than it accepts",
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])("answers %s with a problem document", async (_, bytes, status) => {
    const http = await listenFirst("127.0.0.1", 0);
    try {
      const answer = await sendRaw(http.url, bytes);
      const [head, body] = answer.split("\r\n\r\n");
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(body!)).toMatchObject({
        status,
        title: expect.any(String),
        detail: expect.any(String),
      });
    } finally {
      await http.close(0);
    }
  });
});
