// `fjord cancel`: cancels a queued or running job; one that has already ended is refused (exit 2).
import type { Command } from "commander";
import { jobWireSchema } from "../../api/schemas/job.ts";
import { apiPath } from "../client/api-client.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import type { CliIo } from "../io.ts";
import { stableJson } from "../render/stable-json.ts";

export function registerCancel(program: Command, io: CliIo): Command {
  const command = program
    .command("cancel")
    .description("cancel a queued or running job")
    .argument("<job-id>", "the job to cancel (job_…)");
  return withApiOptions(command)
    .option("--json", "print the cancelled job as the API returned it")
    .action(async (jobId: string, _options: unknown, cmd: Command) => {
      const options = cmd.opts<ApiOptions>();
      const job = await apiClient(options).post(apiPath("jobs", jobId, "cancel"), jobWireSchema);
      io.out(
        options.json
          ? stableJson(job.json)
          : `${job.data.id} (${job.data.name}, ${job.data.tenant}): ${job.data.state}\n`,
      );
    });
}
