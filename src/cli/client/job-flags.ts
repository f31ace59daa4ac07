// One job given as flags (`fjord submit --tenant aurora-labs --gpus 8 --runtime 2h`) → the wire body. The
// text of each flag is read here (durations, lists, key=value labels); the body is then checked with the
// API's own schema and messages, so a mistake is refused before any request, naming the flag.
import { jobSubmissionSchema } from "../../api/schemas/job-submission.ts";
import { wireErrorMap } from "../../api/validation.ts";
import { readDurationS } from "../../model/duration.ts";
import { fromZodError, InputError, type InputIssue, issueAt } from "../../model/input-error.ts";
import { flagIssue } from "./field-paths.ts";
import type { SubmissionBody } from "./submission-body.ts";

/** The flags as commander gives them: text, and every --label in order. */
export interface JobFlags {
  tenant?: string;
  name?: string;
  gpus?: string;
  nodes?: string;
  gpusPerNode?: string;
  runtime?: string;
  limit?: string;
  gpuModel?: string;
  residency?: string;
  maxLatency?: string;
  checkpointInterval?: string;
  priority?: string;
  notBefore?: string;
  deadline?: string;
  topology?: string;
  label?: string[];
  command?: string;
  workdir?: string;
  env?: string[];
  stdout?: string;
  stderr?: string;
}

export const JOB_FLAGS: readonly (keyof JobFlags)[] = [
  "tenant",
  "name",
  "gpus",
  "nodes",
  "gpusPerNode",
  "runtime",
  "limit",
  "gpuModel",
  "residency",
  "maxLatency",
  "checkpointInterval",
  "priority",
  "notBefore",
  "deadline",
  "topology",
  "label",
  "command",
  "workdir",
  "env",
  "stdout",
  "stderr",
];

export const FLAGS_SOURCE = "command line";

/** Throws InputError naming every flag that is wrong, each once. */
export function submissionFromFlags(flags: JobFlags): SubmissionBody {
  const issues: InputIssue[] = [];
  const body: Record<string, unknown> = {};
  const set = (field: string, value: unknown) => {
    if (value !== undefined) body[field] = value;
  };

  set("tenant", flags.tenant);
  set("name", flags.name);
  set("gpus", numberOrText(flags.gpus));
  set("nodes", numberOrText(flags.nodes));
  set("gpusPerNode", numberOrText(flags.gpusPerNode));
  set("priority", numberOrText(flags.priority));
  set("topology", flags.topology);
  set("notBefore", flags.notBefore);
  set("deadline", flags.deadline);
  const duration = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const reading = readDurationS(text);
    if (!reading.ok) {
      issues.push(issueAt([flag], reading.problem));
      return undefined;
    }
    if (reading.seconds === 0) {
      issues.push(issueAt([flag], "must be longer than 0"));
      return undefined;
    }
    return reading.seconds;
  };
  set("estimatedRuntimeS", duration("--runtime", flags.runtime));
  set("limitS", duration("--limit", flags.limit));
  set("checkpointIntervalS", duration("--checkpoint-interval", flags.checkpointInterval));
  if (flags.gpuModel !== undefined) {
    const models = list(flags.gpuModel);
    set("gpuModel", models.length === 1 ? models[0] : models);
  }
  if (flags.residency !== undefined) set("residency", list(flags.residency));
  if (flags.maxLatency !== undefined) {
    const latency = /^(.+):(\d+(?:\.\d+)?)$/.exec(flags.maxLatency.trim());
    if (latency === null)
      issues.push(issueAt(["--max-latency"], `"${flags.maxLatency}" must be <region>:<ms>, like nordics:20`));
    else set("maxLatency", { region: latency[1], ms: Number(latency[2]) });
  }
  if (flags.label !== undefined && flags.label.length > 0)
    set("labels", pairs(flags.label, "--label", "label", issues));
  if (flags.command !== undefined) set("command", argv(flags.command, issues));
  set("workDir", flags.workdir);
  if (flags.env !== undefined && flags.env.length > 0)
    set("env", pairs(flags.env, "--env", "variable", issues));
  set("stdoutPath", flags.stdout);
  set("stderrPath", flags.stderr);

  const noSize = flags.gpus === undefined && flags.nodes === undefined && flags.gpusPerNode === undefined;
  if (noSize)
    issues.push(issueAt(["--gpus"], "needs a size: --gpus <n>, or --nodes <n> with --gpus-per-node <n>"));

  const result = jobSubmissionSchema.safeParse(body, { error: wireErrorMap });
  if (!result.success) {
    const named = new Set(issues.map((i) => i.path));
    for (const issue of fromZodError(result.error, FLAGS_SOURCE).issues) {
      const mapped = flagIssue(issue.segments, issue.message);
      // A flag already reported by its own reading would otherwise be reported again as missing.
      if (named.has(mapped.path) || (noSize && mapped.path === "")) continue;
      issues.push(mapped);
    }
  }
  if (issues.length > 0) throw new InputError(FLAGS_SOURCE, issues);
  return body as SubmissionBody;
}

/** Numbers as numbers; anything else as the text, so the schema can say what it should have been. */
export function numberOrText(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** `EEA, NO` → ["EEA", "NO"]. */
function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * `--label team=nlp --label phase=eval` → { team: "nlp", phase: "eval" } (and `--env NAME=value` alike);
 * the value may contain `=`.
 */
function pairs(
  given: readonly string[],
  flag: string,
  what: string,
  issues: InputIssue[],
): Record<string, string> {
  const out = new Map<string, string>();
  for (const pair of given) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      const form = flag === "--env" ? "NAME=value, like HF_HOME=/data" : "key=value, like team=nlp";
      issues.push(issueAt([flag], `"${pair}" must be ${form}`));
      continue;
    }
    const key = pair.slice(0, eq).trim();
    if (out.has(key)) issues.push(issueAt([flag], `${what} "${key}" is given twice`));
    out.set(key, pair.slice(eq + 1));
  }
  // fromEntries defines own properties, so even a key named __proto__ stays a key (the schema refuses it).
  return Object.fromEntries(out);
}

/**
 * `--command 'python train.py --lr 3e-4'` → its words (split on spaces, no quoting or expansion), or a JSON
 * list for arguments with spaces: `--command '["sh", "-c", "echo a b"]'`.
 */
function argv(text: string, issues: InputIssue[]): unknown {
  if (!text.trimStart().startsWith("[")) return text.split(/\s+/).filter((w) => w !== "");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    issues.push(issueAt(["--command"], 'must be words, or a JSON list like ["sh", "-c", "echo a b"]'));
    return undefined;
  }
}
