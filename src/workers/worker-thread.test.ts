import { describe, expect, it } from "vitest";
import { WorkerThread } from "./worker-thread.ts";

type EchoCommand = { id?: number; value?: string; fail?: boolean; exit?: boolean };
const ECHO = new URL("./test-fixtures/echo-worker.ts", import.meta.url);

describe("WorkerThread", () => {
  it("answers each request after every command posted before it, in order", async () => {
    const thread = new WorkerThread<EchoCommand>("echo thread", ECHO, "start");
    try {
      for (const value of ["a", "b", "c"]) thread.post({ value });
      // Over the batch size, so the posts go in more than one message.
      for (let i = 0; i < 1500; i++) thread.post({ value: `n${i}` });
      const seen = await thread.request<string[]>((id) => ({ id }));
      expect(seen.slice(0, 4)).toEqual(["start", "a", "b", "c"]);
      expect(seen).toHaveLength(1504);
      expect(seen.at(-1)).toBe("n1499");
    } finally {
      await thread.close();
    }
  });

  it("tells its owner when a posted command fails, and answers requests as before", async () => {
    const failures: string[] = [];
    const thread = new WorkerThread<EchoCommand>("echo thread", ECHO, "start", (err) =>
      failures.push(err.message),
    );
    try {
      thread.post({ value: "x", fail: true });
      expect(await thread.request((id) => ({ id }))).toEqual(["start"]);
      expect(failures).toEqual(["refused x"]);
      await expect(thread.request((id) => ({ id, value: "y", fail: true }))).rejects.toThrow("refused y");
      expect(failures).toEqual(["refused x"]);
    } finally {
      await thread.close();
    }
  });

  it("refuses waiting and later requests once the thread exits on its own, and says why", async () => {
    const thread = new WorkerThread<EchoCommand>("echo thread", ECHO, "start");
    expect(thread.failure()).toBeNull();
    await expect(thread.request((id) => ({ id, exit: true }))).rejects.toThrow(
      "the echo thread exited with code 3",
    );
    expect(thread.failure()?.message).toBe("the echo thread exited with code 3");
    await expect(thread.request((id) => ({ id }))).rejects.toThrow("exited with code 3");
    await thread.close();
  });

  it("is not failed when it was closed", async () => {
    const thread = new WorkerThread<EchoCommand>("echo thread", ECHO, "start");
    await thread.close();
    expect(thread.failure()).toBeNull();
    await expect(thread.request((id) => ({ id }))).rejects.toThrow("the echo thread was stopped");
  });
});
