import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Checkpoint,
  checkpointSchema,
  publicKeyFromText,
  publicKeyText,
  signatureHolds,
  signCheckpoint,
} from "./checkpoint.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 200);

const { privateKey, publicKey } = generateKeyPairSync("ed25519");

const checkpoint = signCheckpoint(
  {
    chain: "a".repeat(64),
    head: { seq: 855, hash: "3dd7525ca371cb1f35dd8c7710fef47fcbe2cd440a11beccb10b3a9600894d7e" },
    atMs: Date.parse("2026-12-06T16:00:00Z"),
    database: ".fjord/db",
  },
  privateKey,
);

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

/** Every signed field, each with values a forger might put there instead. */
const changedField = fc.oneof(
  hex64.map((chain) => ({ chain })),
  fc.integer({ min: 1, max: 1e9 }).map((seq) => ({ seq })),
  hex64.map((hash) => ({ hash })),
  fc.date({ noInvalidDate: true }).map((d) => ({ at: d.toISOString() })),
  fc.string().map((database) => ({ database })),
  fc.constant({ publicKey: publicKeyText(generateKeyPairSync("ed25519").publicKey) }),
  fc.constant({ format: "fjord-audit-checkpoint/2" }),
);

describe("audit checkpoints", () => {
  it("is a valid checkpoint whose signature holds for the signing key's public half", () => {
    expect(checkpointSchema.parse(checkpoint)).toEqual(checkpoint);
    expect(checkpoint).toMatchObject({ seq: 855, at: "2026-12-06T16:00:00.000Z", database: ".fjord/db" });
    expect(checkpoint.publicKey).toBe(publicKeyText(publicKey));
    expect(signatureHolds(checkpoint, publicKey)).toBe(true);
  });

  it("no longer matches its signature once any signed field is changed", () => {
    fc.assert(
      fc.property(changedField, (change) => {
        const altered = { ...checkpoint, ...change } as Checkpoint;
        fc.pre(JSON.stringify(altered) !== JSON.stringify(checkpoint));
        expect(signatureHolds(altered, publicKey)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("does not hold for another key", () => {
    expect(signatureHolds(checkpoint, generateKeyPairSync("ed25519").publicKey)).toBe(false);
  });

  it("prints a public key as text that reads back as the same key", () => {
    const text = publicKeyText(publicKey);
    expect(text).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(publicKeyFromText(text)?.equals(publicKey)).toBe(true);
    expect(publicKeyFromText("ed25519:short")).toBeNull();
  });
});
