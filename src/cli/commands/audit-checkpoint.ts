// `fjord audit checkpoint`: verifies the audit chain in the database and signs its head with the operator's
// Ed25519 key, as one JSON line to keep outside the database — appended to a file (--out), or printed for
// a pipe to another host. `fjord audit verify --checkpoint` then proves the log still holds that head.
import { publicKeyText } from "../../audit/checkpoint.ts";
import { appendCheckpoint } from "../../audit/checkpoint-file.ts";
import { AuditCheckpointer } from "../../audit/checkpointer.ts";
import { loadOrCreateSigningKey } from "../../audit/signing-key.ts";
import { type AuditStoreOptions, openAuditStore } from "../audit-store.ts";
import { CliFailure, EXIT_AUDIT_BROKEN, EXIT_BAD_INPUT } from "../exit-codes.ts";
import type { CliIo } from "../io.ts";
import { checkpointSummary, verdictText } from "../render/audit-output.ts";

export interface CheckpointOptions extends AuditStoreOptions {
  key: string;
  out?: string;
}

export async function runCheckpoint(options: CheckpointOptions, io: CliIo): Promise<void> {
  const key = loadOrCreateSigningKey(options.key, "--key");
  // Without --out stdout carries the checkpoint alone (perhaps piped onto a checkpoint file), so everything
  // else goes to stderr.
  const note = options.out === undefined ? io.err : io.out;
  if (key.createdPublicKeyFile !== null)
    note(
      `fjord: new signing key in ${options.key} (mode 0600; keep it off the database host), ` +
        `public key in ${key.createdPublicKeyFile}:\n  ${publicKeyText(key.publicKey)}\n`,
    );
  const { store, where, close } = await openAuditStore(options, "checkpoint");
  try {
    const outcome = await new AuditCheckpointer(store, key.privateKey, where).take(Date.now());
    if (outcome.kind === "empty")
      throw new CliFailure(
        `fjord: the audit log in ${where} is empty: there is no head to checkpoint`,
        EXIT_BAD_INPUT,
      );
    if (outcome.kind === "broken") {
      note(verdictText({ ok: false, problem: outcome.problem }, null, where, null));
      throw new CliFailure(
        `fjord: not signing a broken chain: the audit log's hash chain is broken at entry ${outcome.problem.seq} (${outcome.problem.kind})`,
        EXIT_AUDIT_BROKEN,
      );
    }
    const { checkpoint } = outcome;
    if (options.out === undefined) {
      io.out(`${JSON.stringify(checkpoint)}\n`);
      return;
    }
    appendCheckpoint(options.out, checkpoint);
    io.out(checkpointSummary(checkpoint, options.out));
  } finally {
    await close();
  }
}
