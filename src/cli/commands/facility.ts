// `fjord facility`: the facility as the API describes it (GET /v1/facility) with its live occupancy
// (GET /v1/facility/occupancy): sites, jurisdictions, hardware, and GPUs up and in use per site and tier.
import type { Command } from "commander";
import { facilityWireSchema, occupancyWireSchema } from "../../api/schemas/facility.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import type { CliIo } from "../io.ts";
import { facilityTables } from "../render/facility-tables.ts";
import { stableJson } from "../render/stable-json.ts";
import { registerFacilityImportSlurm } from "./facility-import-slurm.ts";

export function registerFacility(program: Command, io: CliIo): Command {
  const command = program
    .command("facility")
    .description("the facility's sites, jurisdictions and hardware, and the GPUs in use at each now");
  registerFacilityImportSlurm(command, io);
  return withApiOptions(command)
    .option("--json", 'print the API\'s JSON: { "facility": …, "occupancy": … }')
    .action(async (_options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions>();
      const client = apiClient(options);
      const facility = await client.get("facility", facilityWireSchema);
      const occupancy = await client.get("facility/occupancy", occupancyWireSchema);
      io.out(
        options.json
          ? stableJson({ facility: facility.json, occupancy: occupancy.json })
          : facilityTables(facility.data, occupancy.data),
      );
    });
}
