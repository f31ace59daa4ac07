// The thread's side of protocol.ts: runs each command of each batch in order and answers the requests.
import { parentPort, workerData } from "node:worker_threads";
import type { Command, Reply, ThreadData } from "./protocol.ts";

/** The data the owner gave the thread. */
export function threadData<D>(): D {
  return (workerData as ThreadData<D>).data;
}

/** Answers the owner's commands with `handle`; its result is a request's reply. */
export function serveCommands<C extends Command>(handle: (command: C) => unknown): void {
  const port = parentPort;
  if (port === null) throw new Error("serveCommands runs in a worker thread only");
  const reply = (message: Reply) => port.postMessage(message);

  const run = (command: C) => {
    if (command.id === undefined) {
      try {
        handle(command);
      } catch (err) {
        // Nobody waits for this command: its owner hears of the failure at once, and may set the thread
        // afresh, since it may now be out of step.
        const error = asError(err);
        reply({ id: null, ok: false, message: error.message, stack: error.stack });
      }
      return;
    }
    try {
      reply({ id: command.id, ok: true, value: handle(command) });
    } catch (err) {
      const error = asError(err);
      reply({ id: command.id, ok: false, message: error.message, stack: error.stack });
    }
  };
  port.on("message", (batch: C[]) => {
    for (const command of batch) run(command);
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
