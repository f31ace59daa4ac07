// `fjord watch <job-id>`: follows one job as it waits, starts, is preempted and ends, a line per change,
// from the API's event stream, and exits when the job has ended: 0 if it completed, EXIT_JOB_NOT_COMPLETED
// if it failed or was cancelled, so a script can wait for a job with `fjord watch "$id" && next-step`.
// A dropped stream resumes where it stopped; when the API can no longer replay what was missed, the job is
// read afresh.
import type { Command } from "commander";
import { type JobWire, jobWireSchema } from "../../api/schemas/job.ts";
import { formatDurationS } from "../../model/duration.ts";
import { formatOneDecimal, formatUtcMinute } from "../../model/format.ts";
import type { ApiClient } from "../client/api-client.ts";
import { apiPath } from "../client/api-client.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { CliFailure, EXIT_AUTH, EXIT_JOB_NOT_COMPLETED, EXIT_UNAVAILABLE } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";

export interface WatchOptions extends ApiOptions {
  json?: boolean;
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

export function registerWatch(program: Command, io: CliIo): Command {
  const command = program
    .command("watch")
    .description("follow a job until it ends: a line per change (exit 0 if it completed)")
    .argument("<job-id>", "the job to follow (job_…)");
  return withApiOptions(command)
    .option("--json", "print the job as GET /v1/jobs/{id} shows it, on one line per change (JSON lines)")
    .action(async (jobId: string, _options: unknown, cmd: Command) => {
      await watchJob(jobId, cmd.opts<WatchOptions>(), io);
    });
}

async function watchJob(jobId: string, options: WatchOptions, io: CliIo): Promise<void> {
  const client = apiClient(options);
  const print = (job: JobWire, raw: unknown, atMs: number) =>
    io.out(`${options.json ? JSON.stringify(raw) : watchLine(job, atMs)}\n`);

  // Subscribed before the job is read, so no change falls between the two: events that arrive while it is
  // read wait in `early` and are taken after it.
  const events = client.events();
  try {
    const ended = await new Promise<JobWire>((resolve, reject) => {
      let last: JobWire | null = null;
      const early: { job: JobWire; raw: unknown; atMs: number }[] = [];
      const take = (job: JobWire, raw: unknown, atMs: number) => {
        if (last === null) {
          early.push({ job, raw, atMs });
          return;
        }
        // An event from before the state already shown (sent while the job was being read) says nothing new.
        if (atMs < lastChangeMs(last) || sameState(job, last)) return;
        last = job;
        print(job, raw, atMs);
        if (ENDED.has(job.state)) resolve(job);
      };
      const guarded =
        <A extends unknown[]>(f: (...args: A) => void) =>
        (...args: A) => {
          try {
            f(...args);
          } catch (err) {
            reject(err);
          }
        };
      events.addEventListener(
        "job",
        guarded((event: MessageEvent) => {
          const data = JSON.parse(event.data) as { at: string; job: unknown };
          const job = jobWireSchema.parse(data.job);
          if (job.id === jobId) take(job, data.job, Date.parse(data.at));
        }),
      );
      events.addEventListener("reset", () => {
        void reread(client, jobId).then(({ job, raw }) => take(job, raw, lastChangeMs(job)), reject);
      });
      events.addEventListener("error", (event) => {
        // Before the stream first opens, any failure ends the watch (the service is not there, or refuses
        // the key); afterwards the client reconnects by itself, unless the service refused it for good.
        if (last === null || events.readyState === events.CLOSED) {
          const refused = event.code === 401 || event.code === 403;
          reject(
            new CliFailure(
              `fjord: the event stream of ${client.baseUrl} failed: ${event.message ?? `HTTP ${event.code ?? "error"}`}`,
              refused ? EXIT_AUTH : EXIT_UNAVAILABLE,
            ),
          );
        }
      });
      events.addEventListener(
        "open",
        () => {
          void reread(client, jobId).then(
            guarded(({ job, raw }: { job: JobWire; raw: unknown }) => {
              last = job;
              print(job, raw, lastChangeMs(job));
              if (ENDED.has(job.state)) return resolve(job);
              for (const e of early.splice(0)) take(e.job, e.raw, e.atMs);
            }),
            reject,
          );
        },
        { once: true },
      );
    });
    finish(ended);
  } finally {
    events.close();
  }
}

function finish(job: JobWire): void {
  if (job.state !== "completed")
    throw new CliFailure(`fjord: job ${job.id} ended ${job.state}`, EXIT_JOB_NOT_COMPLETED);
}

/** The job as the API shows it now. */
async function reread(client: ApiClient, jobId: string): Promise<{ job: JobWire; raw: unknown }> {
  const answer = await client.get(apiPath("jobs", jobId), jobWireSchema);
  return { job: answer.data, raw: answer.json };
}

/** When the job last changed state, as far as the job itself tells. */
function lastChangeMs(job: JobWire): number {
  return Math.max(
    ...[job.submittedAt, job.startedAt, job.endedAt].map((t) => (t === null ? 0 : Date.parse(t))),
  );
}

function sameState(a: JobWire, b: JobWire): boolean {
  return a.state === b.state && a.restarts === b.restarts && a.startedAt === b.startedAt;
}

export function watchLine(job: JobWire, atMs: number): string {
  const at = formatUtcMinute(atMs);
  switch (job.state) {
    case "queued":
      return `${at}  ${job.id}  queued${job.restarts > 0 ? ` again (restart ${job.restarts})` : ""}`;
    case "running": {
      const nodes = job.allocation?.nodes.length ?? 0;
      return `${at}  ${job.id}  running at ${job.allocation?.siteId ?? "?"} on ${nodes} node${nodes === 1 ? "" : "s"}`;
    }
    default: {
      const ran =
        job.startedAt !== null && job.endedAt !== null
          ? ` after ${formatDurationS(Math.round((Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000))}`
          : "";
      return `${at}  ${job.id}  ${job.state}${ran}, ${formatOneDecimal(job.gpuHoursUsed)} GPU-hours`;
    }
  }
}
