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
  /** The first error of a command that gets no answer, reported with the next reply. */
  let unreported: Error | null = null;
  const reply = (message: Reply) => port.postMessage(message);

  const run = (command: C) => {
    if (command.id === undefined) {
      try {
        handle(command);
      } catch (err) {
        unreported ??= asError(err);
      }
      return;
    }
    // A request after a failed command is refused with that failure, not carried out: the thread may be
    // out of step with its owner, which must set it afresh.
    if (unreported !== null) {
      const error = unreported;
      unreported = null;
      reply({ id: command.id, ok: false, message: error.message, stack: error.stack });
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
