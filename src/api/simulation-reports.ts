// The runs `fjord simulate` wrote under one directory (`fjord serve --simulation-reports DIR`), for the API
// to list and show. Each run is a directory right under DIR holding results.json and report.html. Only what
// fjord simulate writes is served: a run's directory and files must be real ones inside DIR (a symlink is
// refused, and files are opened without following one), and each file must begin as fjord simulate begins
// it. The report runs in the browser under a policy that allows only the chart scripts this Fjord inlines,
// so a file changed on disk may show text but run nothing else.
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
} from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { loadChartAssets } from "../report/assets.ts";
import { swatch } from "../report/group-tables.ts";
import { inlineScriptText, inlineStyleText } from "../report/html.ts";
import { PALETTE } from "../report/palette.ts";
import { REPORT_CSS } from "../report/styles.ts";

/** A run's id is its directory's name: no leading dot (so never `.` or `..`), nothing that needs escaping. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/** Largest report served; a simulated year's report is a few MB. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** How much of report.html a list reads: enough for its title. */
const REPORT_HEAD_BYTES = 4096;
/** How much of results.json is read to find the inputs it names (they come first: its keys are sorted). */
const RESULTS_HEAD_BYTES = 64 * 1024;
const REPORT_PREFIX =
  '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>';
const REPORT_LEAD = '<p class="lead">Fjord simulation report';

/** The files and options a run was simulated from, as results.json records them. */
export const simulationInputsSchema = z.strictObject({
  facility: z.string(),
  policy: z.string(),
  workload: z.string(),
  seed: z.number(),
  from: z.string().optional(),
  to: z.string().optional(),
});

export interface SimulationRun {
  id: string;
  title: string;
  inputs: z.infer<typeof simulationInputsSchema>;
  writtenAtMs: number;
  reportBytes: number;
}

export interface SkippedEntry {
  name: string;
  reason: string;
}

class NotARun extends Error {}

export class SimulationReports {
  private readonly root: string;

  /** Throws if `dir` is not a directory: `fjord serve` says so at start. */
  constructor(dir: string) {
    this.root = realpathSync(dir);
    if (!lstatSync(this.root).isDirectory()) throw new Error(`${dir} is not a directory`);
  }

  /** Every run under the directory, newest first, and each entry that is not one with why. */
  list(): { runs: SimulationRun[]; skipped: SkippedEntry[] } {
    const runs: SimulationRun[] = [];
    const skipped: SkippedEntry[] = [];
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      try {
        runs.push(this.run(entry.name, false).run);
      } catch (err) {
        if (!(err instanceof NotARun)) throw err;
        skipped.push({ name: entry.name, reason: err.message });
      }
    }
    runs.sort((a, b) => b.writtenAtMs - a.writtenAtMs || (a.id < b.id ? -1 : 1));
    skipped.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { runs, skipped };
  }

  /** The run's report.html, or why there is none: not found, or not a run fjord simulate wrote. */
  report(id: string): { html: string } | { missing: string } {
    try {
      return { html: this.run(id, true).html };
    } catch (err) {
      if (!(err instanceof NotARun)) throw err;
      return { missing: err.message };
    }
  }

  /** The run in directory `id`; its whole report only `withPage` (a list reads the report's head). */
  private run(id: string, withPage: boolean): { run: SimulationRun; html: string } {
    if (!RUN_ID_PATTERN.test(id))
      throw new NotARun("its name is not a run id (letters, digits, '.', '_' or '-', not starting with '.')");
    const dir = join(this.root, id);
    let dirStat: ReturnType<typeof lstatSync>;
    try {
      dirStat = lstatSync(dir);
    } catch {
      throw new NotARun("no such run");
    }
    if (dirStat.isSymbolicLink())
      throw new NotARun("it is a symbolic link; only directories inside are served");
    if (!dirStat.isDirectory()) throw new NotARun("it is not a directory");
    const results = readOwnFile(join(dir, "results.json"), RESULTS_HEAD_BYTES, false);
    const inputs = resultsInputs(results.text);
    const report = readOwnFile(
      join(dir, "report.html"),
      withPage ? MAX_REPORT_BYTES : REPORT_HEAD_BYTES,
      withPage,
    );
    if (report.bytes > MAX_REPORT_BYTES)
      throw new NotARun(`its report.html is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB`);
    if (!report.text.startsWith(REPORT_PREFIX) || (withPage && !report.text.includes(REPORT_LEAD)))
      throw new NotARun("its report.html is not one fjord simulate wrote");
    const titleEnd = report.text.indexOf("</title>", REPORT_PREFIX.length);
    if (titleEnd < 0) throw new NotARun("its report.html is not one fjord simulate wrote");
    return {
      run: {
        id,
        title: unescapeHtml(report.text.slice(REPORT_PREFIX.length, titleEnd)),
        inputs,
        writtenAtMs: Math.round(results.mtimeMs),
        reportBytes: report.bytes,
      },
      html: report.text,
    };
  }
}

/**
 * A file right inside a run's directory, opened without following a symlink, at most `limit` bytes (the
 * head of it unless `whole`, when a longer file is refused).
 */
function readOwnFile(
  path: string,
  limit: number,
  whole: boolean,
): { text: string; bytes: number; mtimeMs: number } {
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotARun(code === "ELOOP" ? `its ${name} is a symbolic link` : `it has no ${name}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotARun(`its ${name} is not a file`);
    if (whole && stat.size > limit)
      throw new NotARun(`its ${name} is larger than ${limit / 1024 / 1024} MiB`);
    const buffer = Buffer.alloc(Math.min(stat.size, limit));
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString("utf8"), bytes: stat.size, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** The inputs results.json names; its keys are sorted, so it begins `{ "inputs": {…}, "runs": [`. */
function resultsInputs(head: string): z.infer<typeof simulationInputsSchema> {
  const start = /^\{\s*"inputs":\s*/.exec(head);
  const end = /\}\s*,\s*"runs":\s*\[/.exec(head);
  const notOurs = () => new NotARun("its results.json is not one fjord simulate wrote");
  if (start === null || end === null) throw notOurs();
  let value: unknown;
  try {
    value = JSON.parse(head.slice(start[0].length, end.index + 1));
  } catch {
    throw notOurs();
  }
  const inputs = simulationInputsSchema.safeParse(value);
  if (!inputs.success) throw notOurs();
  return inputs.data;
}

const ENTITIES = new Map([
  ["&amp;", "&"],
  ["&lt;", "<"],
  ["&gt;", ">"],
  ["&quot;", '"'],
  ["&#39;", "'"],
]);

/** The inverse of the report's escapeHtml, for its title. */
function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES.get(entity) ?? entity);
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

let hashes: ReportSourceHashes | undefined;

interface ReportSourceHashes {
  scripts: string[];
  styles: string[];
  /** The style attributes of the runs' swatches (a colour and a dash that repeat every few runs). */
  styleAttributes: string[];
}

/** CSP hashes of the scripts and styles fjord simulate inlines in a report, as this Fjord writes them. */
export function reportSourceHashes(): ReportSourceHashes {
  if (hashes === undefined) {
    const assets = loadChartAssets();
    const swatchStyles = new Set(
      Array.from(
        { length: 4 * PALETTE.runs.length },
        (_, run) => /style="([^"]*)"/.exec(swatch(run))?.[1] ?? "",
      ),
    );
    hashes = {
      scripts: [assets.uplotJs, assets.chartsJs].map((js) => sha256(inlineScriptText(js))),
      styles: [assets.uplotCss, REPORT_CSS].map((css) => sha256(inlineStyleText(css))),
      styleAttributes: [...swatchStyles].map(sha256),
    };
  }
  return hashes;
}

/**
 * The policy a report is served under: its own origin (sandbox, so it reaches no key or storage of the
 * API's), the chart scripts by hash and nothing else, nothing fetched, framed only by the dashboard.
 */
export function reportContentSecurityPolicy(): string {
  return [
    "sandbox allow-scripts",
    "default-src 'none'",
    `script-src ${reportSourceHashes().scripts.join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
