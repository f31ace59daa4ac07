// The Ed25519 key pair that signs audit checkpoints. The private key lives in a file the operator names,
// created on first use with mode 0600 (PKCS#8 PEM) and its public half beside it in `<file>.pub` (SPKI
// PEM). A private key file others can read is refused, as ssh refuses one: anyone who can read it can sign
// checkpoints of a rewritten log.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, issueAt } from "../model/input-error.ts";
import { publicKeyFromText } from "./checkpoint.ts";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Where the public key was written when the pair was created now; null when it was read. */
  createdPublicKeyFile: string | null;
}

/** The key pair in `file`, generated into it (and `<file>.pub`) when the file does not exist. */
export function loadOrCreateSigningKey(file: string, option: string): SigningKey {
  if (!existsSync(file)) return createSigningKey(file);
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new InputError(option, [
      issueAt(
        [],
        `${file} can be read by others (mode ${mode.toString(8).padStart(4, "0")}); ` +
          `anyone who can read it can sign checkpoints: chmod 600 ${file}`,
      ),
    ]);
  const privateKey = parseKey(() => createPrivateKey(readFileSync(file)), file, option, "private");
  return { privateKey, publicKey: createPublicKey(privateKey), createdPublicKeyFile: null };
}

function createSigningKey(file: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dirname(file), { recursive: true });
  // "wx": never overwrite a key another process created meanwhile.
  writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  const publicFile = `${file}.pub`;
  writeFileSync(publicFile, publicKey.export({ type: "spki", format: "pem" }));
  return { privateKey, publicKey, createdPublicKeyFile: publicFile };
}

/**
 * The public key given to verify with: the `ed25519:…` text a checkpoint prints, or a PEM file (the
 * `<key>.pub` written beside the private key; a private key file gives its public half).
 */
export function readPublicKey(spec: string, option: string): KeyObject {
  if (spec.startsWith("ed25519:")) {
    const key = publicKeyFromText(spec);
    if (key === null)
      throw new InputError(option, [
        issueAt([], `${spec} is not an Ed25519 public key (ed25519: and 43 base64url characters)`),
      ]);
    return key;
  }
  return parseKey(() => createPublicKey(readFileSync(spec)), spec, option, "public");
}

function parseKey(read: () => KeyObject, file: string, option: string, kind: string): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch (err) {
    // A missing or unreadable file keeps its own error, which the CLI reports as an unreadable file.
    if ((err as NodeJS.ErrnoException).syscall !== undefined) throw err;
    throw new InputError(option, [issueAt([], `${file} does not hold a PEM ${kind} key`)]);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new InputError(option, [
      issueAt(
        [],
        `${file} holds an ${key.asymmetricKeyType ?? "unknown"} key; checkpoints are signed with Ed25519`,
      ),
    ]);
  return key;
}
