// `fjord status`: one job in detail (state, site and jurisdictions, GPUs, times, restarts), or without an
// id the caller's jobs in submission order, a page at a time or with --all every page.
import type { Command } from "commander";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "../../api/schemas/common.ts";
import { facilityWireSchema } from "../../api/schemas/facility.ts";
import { JOB_STATES, jobWireSchema } from "../../api/schemas/job.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { apiPath } from "../client/api-client.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { pageLimit } from "../client/page-limit.ts";
import { readPages } from "../client/read-pages.ts";
import type { CliIo } from "../io.ts";
import { jobDetail, jobListTable } from "../render/job-tables.ts";
import { stableJson } from "../render/stable-json.ts";

export interface StatusOptions extends ApiOptions {
  state?: string;
  tenant?: string;
  limit?: string;
  all?: boolean;
}

export function registerStatus(program: Command, io: CliIo): Command {
  const command = program
    .command("status")
    .description("show one job in detail, or list your jobs")
    .argument("[job-id]", "the job to show (job_…); without it, list jobs")
    .option("--state <states>", `only jobs in these states, comma-separated (${JOB_STATES.join(", ")})`)
    .option("--tenant <id>", "operators: only this tenant's jobs")
    .option("--limit <n>", `jobs per page, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})`)
    .option("--all", "follow the pages to the end of the list");
  return withApiOptions(command)
    .option("--json", "print the API's JSON")
    .action(async (jobId: string | undefined, _options: unknown, cmd: Command) => {
      const options = cmd.opts<StatusOptions>();
      io.out(jobId === undefined ? await listJobs(options) : await showJob(jobId, options));
    });
}

async function showJob(jobId: string, options: StatusOptions): Promise<string> {
  const listing = (["state", "tenant", "limit", "all"] as const).filter((o) => options[o] !== undefined);
  if (listing.length > 0)
    throw new InputError(
      "command line",
      listing.map((o) => issueAt([`--${o}`], "is for listing jobs; leave it out with a job id")),
    );
  const client = apiClient(options);
  const job = await client.get(apiPath("jobs", jobId), jobWireSchema);
  if (options.json) return stableJson(job.json);
  // The job names its site; the facility says which jurisdictions that site is in.
  const facility =
    job.data.allocation === null ? null : (await client.get("facility", facilityWireSchema)).data;
  return jobDetail(job.data, facility);
}

async function listJobs(options: StatusOptions): Promise<string> {
  const query = {
    state: options.state === undefined ? undefined : states(options.state),
    tenant: options.tenant,
    limit: options.limit === undefined ? undefined : String(pageLimit(options.limit)),
  };
  const { items, jsonItems, nextCursor } = await readPages(
    apiClient(options),
    "jobs",
    jobWireSchema,
    query,
    options.all === true,
  );
  if (options.json) return stableJson({ items: jsonItems, nextCursor });
  const more = nextCursor === null ? "" : "more jobs follow: add --all for every page\n";
  return jobListTable(items) + more;
}

/** Checked here, so a typo is named as the flag rather than as the API's query parameter. */
function states(text: string): string {
  const given = text.split(",").map((s) => s.trim());
  const unknown = given.filter((s) => !(JOB_STATES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new InputError("--state", [
      issueAt(
        [],
        `unknown state ${unknown.map((s) => `'${s}'`).join(", ")} (known: ${JOB_STATES.join(", ")})`,
      ),
    ]);
  return given.join(",");
}
