// `fjord serve --audit-checkpoint <file> --audit-checkpoint-key <file> [--audit-checkpoint-every 15m]`: the
// service checkpoints its own audit log (see src/audit/periodic-checkpoints.ts). The options are read and
// the key loaded (or made) before the service starts, so a mistake stops it at once, not at the first tick.
import { publicKeyText } from "../audit/checkpoint.ts";
import { AuditCheckpointer } from "../audit/checkpointer.ts";
import { PeriodicCheckpoints } from "../audit/periodic-checkpoints.ts";
import { loadOrCreateSigningKey, type SigningKey } from "../audit/signing-key.ts";
import { readDurationS } from "../model/duration.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import { describeServer } from "../store/postgres-store.ts";
import type { Store } from "../store/store.ts";
import { embeddedDatabaseDir } from "./audit-store.ts";
import type { CliIo } from "./io.ts";

export interface AuditCheckpointOptions {
  auditCheckpoint?: string;
  auditCheckpointKey?: string;
  auditCheckpointEvery?: string;
}

export interface AuditCheckpointPlan {
  file: string;
  key: SigningKey;
  intervalMs: number;
}

const DEFAULT_EVERY = "15m";

/** What the options ask for; null without --audit-checkpoint. Makes the key when its file does not exist. */
export function auditCheckpointPlan(options: AuditCheckpointOptions, io: CliIo): AuditCheckpointPlan | null {
  if (options.auditCheckpoint === undefined) {
    if (options.auditCheckpointKey !== undefined)
      throw new InputError("--audit-checkpoint-key", [
        issueAt([], "is only used with --audit-checkpoint <file>"),
      ]);
    return null;
  }
  if (options.auditCheckpointKey === undefined)
    throw new InputError("--audit-checkpoint-key", [
      issueAt([], "is needed with --audit-checkpoint: the file of the key that signs the checkpoints"),
    ]);
  const every = readDurationS(options.auditCheckpointEvery ?? DEFAULT_EVERY);
  if (!every.ok || every.seconds < 1)
    throw new InputError("--audit-checkpoint-every", [
      issueAt([], every.ok ? "must be at least 1s" : every.problem),
    ]);
  const key = loadOrCreateSigningKey(options.auditCheckpointKey, "--audit-checkpoint-key");
  if (key.createdPublicKeyFile !== null)
    io.err(
      `fjord: new audit signing key in ${options.auditCheckpointKey} (mode 0600; keep a copy off this host), ` +
        `public key in ${key.createdPublicKeyFile}:\n  ${publicKeyText(key.publicKey)}\n`,
    );
  return { file: options.auditCheckpoint, key, intervalMs: every.seconds * 1000 };
}

/**
 * Starts checkpointing the service's store, null without --audit-checkpoint; stop() takes the last one.
 * Each checkpoint names the database as `fjord audit verify` does.
 */
export function startAuditCheckpoints(
  plan: AuditCheckpointPlan | null,
  store: Store,
  databaseUrl: string | null,
  dataDir: string,
  io: CliIo,
): PeriodicCheckpoints | null {
  if (plan === null) return null;
  const database = databaseUrl ? describeServer(databaseUrl) : embeddedDatabaseDir(dataDir);
  const checkpoints = new PeriodicCheckpoints({
    checkpointer: new AuditCheckpointer(store, plan.key.privateKey, database),
    file: plan.file,
    intervalMs: plan.intervalMs,
    nowMs: Date.now,
    report: (line) => io.err(`${line}\n`),
  });
  checkpoints.start();
  return checkpoints;
}
