// The scheduler thread: a LiveScheduler driven by the control plane's commands (scheduler-protocol.ts).

import { LiveScheduler } from "../service/live-scheduler.ts";
import type { SchedulerCommand, SchedulerThreadData } from "./scheduler-protocol.ts";
import { serveCommands, threadData } from "./serve-commands.ts";

const { facility, policy } = threadData<SchedulerThreadData>();
const scheduler = new LiveScheduler(facility, policy);

serveCommands<SchedulerCommand>((command) => {
  switch (command.op) {
    case "reset":
      return scheduler.reset(command.policy, command.running, command.queued, command.usage);
    case "submit":
      return scheduler.submit(command.job);
    case "cancel":
      return scheduler.cancel(command.jobId);
    case "finish":
      return scheduler.finish(command.jobId);
    case "unavailable":
      return scheduler.setUnavailable(command.nodeIds);
    case "pass":
      return scheduler.pass(command.request);
    case "snapshot":
      return scheduler.snapshot();
    case "queue":
      return scheduler.queue(command.tenantId, command.limitPerTier);
  }
});
