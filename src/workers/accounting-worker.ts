// The accounting thread: /v1/usage and /v1/reports computed off the API's event loop (accounting-thread.ts).

import { liveEedReport, liveFacilityEnergy, liveFootprint } from "../api/live-reports.ts";
import { usageByTenant } from "../api/usage-footprint.ts";
import type { Facility } from "../model/types.ts";
import type { AccountingCommand } from "./accounting-thread.ts";
import { serveCommands, threadData } from "./serve-commands.ts";

const facility = threadData<Facility>();

serveCommands<AccountingCommand>((command) => {
  switch (command.op) {
    case "usage":
      return usageByTenant({ ...command.input, facility });
    case "eed":
      return liveEedReport({ ...command.input, facility });
    case "footprint":
      return liveFootprint({ ...command.input, facility });
    case "facility-energy":
      return liveFacilityEnergy({ ...command.input, facility });
  }
});
