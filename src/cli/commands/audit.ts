// `fjord audit verify`: an operator's check of the audit log's hash chain, run on the database itself (not
// over HTTP), so it also works when the service is down and trusts nothing the service says; with
// --checkpoint, also against signed heads kept outside the database.
// `fjord audit checkpoint`: signs the verified head, to be kept outside the database.
// `fjord audit export`: one tenant's whole trail from /v1/audit/export, as evidence.
import type { KeyObject } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { auditEntryToWire, auditExportSchema } from "../../api/schemas/audit.ts";
import { readCheckpointFile } from "../../audit/checkpoint-file.ts";
import { readPublicKey } from "../../audit/signing-key.ts";
import { verifyWithCheckpoints } from "../../audit/verify-checkpoints.ts";
import { verifyStoreChain } from "../../audit/verify-store.ts";
import { InputError, issueAt } from "../../model/input-error.ts";
import { idSchema, validate } from "../../model/input-schemas.ts";
import { auditStoreOptions, openAuditStore } from "../audit-store.ts";
import { type ApiOptions, apiClient, withApiOptions } from "../client/api-options.ts";
import { CliFailure, EXIT_AUDIT_BROKEN, EXIT_CODES_HELP } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import {
  type AuditVerdict,
  type CheckpointSource,
  exportSummary,
  verdictJson,
  verdictText,
} from "../render/audit-output.ts";
import { stableJson } from "../render/stable-json.ts";
import { type CheckpointOptions, runCheckpoint } from "./audit-checkpoint.ts";
import { registerAuditList } from "./audit-list.ts";

export interface VerifyOptions {
  dataDir: string;
  databaseUrl?: string;
  json?: boolean;
  checkpoint?: string;
  publicKey?: string;
}

export interface ExportOptions extends ApiOptions {
  tenant: string;
  out?: string;
}

export function registerAudit(program: Command, io: CliIo): Command {
  const audit = program
    .command("audit")
    .description("verify the audit log, checkpoint its head, export a tenant's trail, or list entries");
  const verify = audit
    .command("verify")
    .description(
      "verify the audit log's hash chain in the database (stop fjord serve first on embedded PGlite)",
    );
  for (const option of auditStoreOptions()) verify.addOption(option);
  verify
    .option(
      "--checkpoint <file>",
      "also prove the log still holds every head checkpointed in this file (fjord audit checkpoint)",
    )
    .option(
      "--public-key <key>",
      "with --checkpoint: the key the checkpoints must be signed by (ed25519:… or a PEM file)",
    )
    .option("--json", "print the verdict as JSON")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      await runVerify(cmd.opts<VerifyOptions>(), io);
    });
  const checkpoint = audit
    .command("checkpoint")
    .description(
      "verify the chain and sign its head with an Ed25519 key, to keep outside the database (JSON line)",
    )
    .requiredOption(
      "--key <file>",
      "the private signing key; made on first use (mode 0600), its public key beside it in <file>.pub",
    )
    .option("--out <file>", "append the checkpoint to this file (default: print it on stdout)");
  for (const option of auditStoreOptions()) checkpoint.addOption(option);
  checkpoint.addHelpText("after", EXIT_CODES_HELP).action(async (_options: unknown, cmd: Command) => {
    await runCheckpoint(cmd.opts<CheckpointOptions>(), io);
  });
  withApiOptions(
    audit
      .command("export")
      .description("export one tenant's audit trail: every entry, who acted, where its jobs ran (operators)")
      .requiredOption("--tenant <id>", "the tenant")
      .option("--out <file>", "write the JSON to this file and print a summary (default: JSON to stdout)"),
  )
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, cmd: Command) => {
      await runExport(cmd.opts<ExportOptions>(), io);
    });
  registerAuditList(audit, io);
  return audit;
}

async function runVerify(options: VerifyOptions, io: CliIo): Promise<void> {
  const source = checkpointSource(options);
  const { store, where, close } = await openAuditStore(options, "verify");
  try {
    const verdict: AuditVerdict =
      source === null
        ? await verifyStoreChain(store)
        : await verifyWithCheckpoints(store, source.lines, source.publicKey);
    const seq = verdict.ok ? null : verdict.problem.seq;
    const [stored] = seq === null ? [] : await store.auditRange(seq, 1);
    const bad = stored !== undefined && stored.seq === seq ? auditEntryToWire(stored) : null;
    io.out(options.json ? verdictJson(verdict, bad, source) : verdictText(verdict, bad, where, source));
    if (!verdict.ok) throw new CliFailure(failureMessage(verdict.problem, source), EXIT_AUDIT_BROKEN);
  } finally {
    await close();
  }
}

/** The checkpoints and key to verify against; read before the database is opened, so typos fail fast. */
function checkpointSource(options: VerifyOptions): (CheckpointSource & { publicKey: KeyObject }) | null {
  if (options.checkpoint === undefined) {
    if (options.publicKey !== undefined)
      throw new InputError("--public-key", [issueAt([], "is only used with --checkpoint <file>")]);
    return null;
  }
  if (options.publicKey === undefined)
    throw new InputError("--public-key", [
      issueAt(
        [],
        "is needed with --checkpoint: the public key the checkpoints must be signed by " +
          "(ed25519:… as fjord audit checkpoint printed it, or its <key>.pub file)",
      ),
    ]);
  const publicKey = readPublicKey(options.publicKey, "--public-key");
  return { file: options.checkpoint, lines: readCheckpointFile(options.checkpoint), publicKey };
}

function failureMessage(
  problem: Extract<AuditVerdict, { ok: false }>["problem"],
  source: CheckpointSource | null,
): string {
  if (!("line" in problem))
    return `fjord: the audit log's hash chain is broken at entry ${problem.seq} (${problem.kind})`;
  const where = `line ${problem.line} of ${source?.file ?? "the checkpoint file"}`;
  return problem.kind === "forged" || problem.kind === "other-key"
    ? `fjord: the checkpoint on ${where} is not signed by the given key (${problem.kind})`
    : `fjord: the audit log does not hold the head checkpointed on ${where} (${problem.kind})`;
}

async function runExport(options: ExportOptions, io: CliIo): Promise<void> {
  const tenant = validate(idSchema, options.tenant, "--tenant");
  const trail = await apiClient(options).get("audit/export", auditExportSchema, { tenant });
  const text = stableJson(trail.json);
  if (options.out === undefined) {
    io.out(text);
    return;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, text);
  io.out(exportSummary(trail.data, options.out));
}
