// The accounting thread: /v1/usage and /v1/reports computed off the API's event loop (accounting-thread.ts).
import type { Facility } from "../model/types.ts";
import { serveCommands, threadData } from "../workers/serve-commands.ts";
import type { AccountingCommand } from "./accounting-thread.ts";
import { liveEedReport, liveFootprint } from "./live-reports.ts";
import { usageByTenant } from "./usage-footprint.ts";

const facility = threadData<Facility>();

serveCommands<AccountingCommand>((command) => {
  switch (command.op) {
    case "usage":
      return usageByTenant({ ...command.input, facility });
    case "eed":
      return liveEedReport({ ...command.input, facility });
    case "footprint":
      return liveFootprint({ ...command.input, facility });
  }
});
