// The usage thread: the accounting of /v1/usage (usage-footprint.ts), off the API's event loop.
import type { Facility } from "../model/types.ts";
import { serveCommands, threadData } from "../workers/serve-commands.ts";
import { type UsageCommand, usageByTenant } from "./usage-footprint.ts";

const facility = threadData<Facility>();

serveCommands<UsageCommand>((command) => [
  ...usageByTenant({ ...command.input, facility, tierOf: new Map(command.input.tierOf) }),
]);
