// The scheduler thread: a LiveScheduler driven by the control plane's messages (scheduler-protocol.ts).
import { parentPort, workerData } from "node:worker_threads";
import { LiveScheduler } from "./live-scheduler.ts";
import type { SchedulerCommand, SchedulerReply, SchedulerThreadData } from "./scheduler-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("scheduler-worker.ts runs as a worker thread only");
const { facility, policy } = workerData as SchedulerThreadData;
const scheduler = new LiveScheduler(facility, policy);
/** The first error of a command that gets no answer, reported with the next reply. */
let unreported: Error | null = null;

port.on("message", (batch: SchedulerCommand[]) => {
  for (const command of batch) run(command);
});

function run(command: SchedulerCommand): void {
  if (!("id" in command)) {
    try {
      handle(command);
    } catch (err) {
      unreported ??= asError(err);
    }
    return;
  }
  // A request after a failed command is refused with that failure, not carried out: the scheduler may
  // be out of step with the control plane, which resets it from the store.
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
}

function handle(command: SchedulerCommand): unknown {
  switch (command.op) {
    case "reset":
      return scheduler.reset(command.policy, command.running, command.queued, command.usage);
    case "submit":
      return scheduler.submit(command.job);
    case "cancel":
      return scheduler.cancel(command.jobId);
    case "finish":
      return scheduler.finish(command.jobId);
    case "pass":
      return scheduler.pass(command.request);
    case "snapshot":
      return scheduler.snapshot();
    case "queue":
      return scheduler.queue(command.tenantId, command.limitPerTier);
  }
}

function reply(message: SchedulerReply): void {
  port!.postMessage(message);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
