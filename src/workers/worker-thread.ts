// The owner's side of a worker thread (protocol.ts): commands are batched, requests are answered by
// promises, and when the thread fails or is closed every waiting and later request is refused.
import { Worker } from "node:worker_threads";
import type { Command, Reply, ThreadData } from "./protocol.ts";

/** Commands posted in one message at most: bounds the copy a single message makes. */
const MAX_BATCH = 1024;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerThread<C extends Command> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /**
   * Commands not sent yet. One message per command would cost more than many commands themselves; they
   * go together at the end of the current turn of the event loop, or before the next request, in order.
   */
  private outbox: C[] = [];
  private flushScheduled = false;
  /** Why the thread is gone; every request after that is refused with it. */
  private stopped: Error | null = null;
  /** Set when the thread failed or exited on its own, not when it was closed. */
  private failed: Error | null = null;

  /**
   * `module`: URL of the worker's module, which answers with serveCommands (serve-commands.ts).
   * `onCommandFailed`: a posted command failed in the thread (nobody awaited it).
   */
  constructor(
    private readonly name: string,
    module: URL,
    data: unknown,
    private readonly onCommandFailed: (error: Error) => void = () => {},
  ) {
    const workerData: ThreadData<unknown> = { module: module.href, data };
    this.worker = new Worker(new URL("./typescript-entry.js", import.meta.url), { workerData });
    // The API server keeps the process alive; a forgotten thread must not.
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => this.settle(reply));
    this.worker.on("error", (err) =>
      this.fail(new Error(`the ${name} failed: ${err.message}`, { cause: err })),
    );
    this.worker.on("exit", (code) => this.fail(new Error(`the ${name} exited with code ${code}`)));
  }

  /** A command that gets no answer. */
  post(command: C): void {
    if (this.stopped !== null) return;
    this.outbox.push(command);
    if (this.outbox.length >= MAX_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** A command answered by the thread, after every command posted before it. */
  request<T>(command: (id: number) => C): Promise<T> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.outbox.push(command(id));
      this.flush();
    });
  }

  /** Why the thread stopped on its own (an uncaught error, an exit), or null while it runs or was closed. */
  failure(): Error | null {
    return this.failed;
  }

  /** Stops the thread; requests still waiting are refused. */
  async close(): Promise<void> {
    this.end(new Error(`the ${this.name} was stopped`));
    await this.worker.terminate();
  }

  private flush(): void {
    if (this.outbox.length === 0 || this.stopped !== null) return;
    const batch = this.outbox;
    this.outbox = [];
    this.worker.postMessage(batch);
  }

  private settle(reply: Reply): void {
    if (reply.id === null) {
      if (reply.ok) return;
      const error = new Error(reply.message);
      if (reply.stack !== undefined) error.stack = reply.stack;
      this.onCommandFailed(error);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else {
      const error = new Error(reply.message);
      if (reply.stack !== undefined) error.stack = reply.stack;
      pending.reject(error);
    }
  }

  private fail(reason: Error): void {
    if (this.stopped === null) this.failed = reason;
    this.end(reason);
  }

  private end(reason: Error): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}
