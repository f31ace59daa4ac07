import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuditDraft, AuditEntry } from "../store/records.ts";
import { EMPTY_CHAIN, entryHash, GENESIS_HASH, sealDrafts, verifyChain } from "./hash-chain.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);

function draft(n: number): AuditDraft {
  return {
    atMs: 1_796_083_200_000 + n * 1000,
    actor: n % 2 === 0 ? "scheduler" : "key_abc",
    action: n % 3 === 0 ? "job.start" : "job.submit",
    tenantId: n % 4 === 0 ? null : "aurora-labs",
    objectType: "job",
    objectId: `job-${n}`,
    details: { n, gpus: [n % 8], nested: { z: true, a: "x" } },
  };
}

function chain(length: number): AuditEntry[] {
  const { entries } = sealDrafts(
    EMPTY_CHAIN,
    Array.from({ length }, (_, i) => draft(i + 1)),
  );
  return entries.map(({ detailsJson: _, ...entry }) => entry);
}

const headOf = (entries: AuditEntry[]) => {
  const last = entries.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : EMPTY_CHAIN;
};

describe("audit hash chain", () => {
  it("hashes the previous hash followed by the entry's content as sorted JSON", () => {
    const [first] = chain(1);
    const content =
      '{"action":"job.submit","actor":"key_abc","atMs":1796083201000,"details":{"gpus":[1],"n":1,' +
      '"nested":{"a":"x","z":true}},"objectId":"job-1","objectType":"job","seq":1,"tenantId":"aurora-labs"}';
    expect(first!.prevHash).toBe(GENESIS_HASH);
    expect(first!.hash).toBe(
      createHash("sha256")
        .update(GENESIS_HASH + content)
        .digest("hex"),
    );
    expect(entryHash(first!.prevHash, first!)).toBe(first!.hash);
  });

  it("numbers sealed drafts after the head and links each to the one before", () => {
    const first = sealDrafts(EMPTY_CHAIN, [draft(1), draft(2)]);
    const second = sealDrafts(first.head, [draft(3)]);
    expect(second.entries[0]!.seq).toBe(3);
    expect(second.entries[0]!.prevHash).toBe(first.entries[1]!.hash);
    expect(second.head).toEqual({ seq: 3, hash: second.entries[0]!.hash });
    expect(first.entries[0]!.detailsJson).toBe('{"gpus":[1],"n":1,"nested":{"a":"x","z":true}}');
  });

  it("accepts an untouched chain and its head, and an empty log", () => {
    const entries = chain(5);
    expect(verifyChain(entries, headOf(entries))).toEqual({ ok: true, entries: 5, head: headOf(entries) });
    expect(verifyChain([], EMPTY_CHAIN)).toEqual({ ok: true, entries: 0, head: EMPTY_CHAIN });
  });

  it("names an entry whose content was changed", () => {
    const entries = chain(6);
    entries[3] = { ...entries[3]!, details: { ...entries[3]!.details, n: 99 } };
    expect(verifyChain(entries, headOf(entries))).toMatchObject({
      ok: false,
      problem: { seq: 4, kind: "altered" },
    });
  });

  it("names the entry after one that was changed and re-hashed", () => {
    const entries = chain(6);
    const forged = { ...entries[2]!, actor: "someone-else" };
    entries[2] = { ...forged, hash: entryHash(forged.prevHash, forged) };
    expect(verifyChain(entries, headOf(entries))).toMatchObject({
      ok: false,
      problem: { seq: 4, kind: "link-broken" },
    });
  });

  it("names the first missing seq when an entry is removed from the middle", () => {
    const entries = chain(6);
    entries.splice(2, 1);
    expect(verifyChain(entries, null)).toMatchObject({ ok: false, problem: { seq: 3, kind: "missing" } });
  });

  it("sees a removed last entry only through the head", () => {
    const entries = chain(6);
    const head = headOf(entries);
    entries.pop();
    expect(verifyChain(entries, null).ok).toBe(true);
    expect(verifyChain(entries, head)).toMatchObject({ ok: false, problem: { seq: 6, kind: "missing" } });
  });

  it("sees a last entry changed and re-hashed, or one appended behind the store's back, through the head", () => {
    const entries = chain(4);
    const head = headOf(entries);
    const forged = { ...entries[3]!, objectId: "job-x" };
    const rehashed = [...entries.slice(0, 3), { ...forged, hash: entryHash(forged.prevHash, forged) }];
    expect(verifyChain(rehashed, head)).toMatchObject({
      ok: false,
      problem: { seq: 4, kind: "head-mismatch" },
    });
    const appended = sealDrafts(head, [draft(5)]).entries.map(({ detailsJson: _, ...e }) => e);
    expect(verifyChain([...entries, ...appended], head)).toMatchObject({
      ok: false,
      problem: { seq: 5, kind: "beyond-head" },
    });
  });

  it("finds the first tampered entry for any single change to any field of any entry", () => {
    const field = fc.constantFrom(
      "atMs",
      "actor",
      "action",
      "tenantId",
      "objectType",
      "objectId",
      "details",
      "seq",
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), field, (length, at, name) => {
        const entries = chain(length);
        const index = at % length;
        const original = entries[index]!;
        const changed: AuditEntry = { ...original };
        if (name === "seq") changed.seq += 100;
        else if (name === "atMs") changed.atMs += 1;
        else if (name === "details") changed.details = { ...original.details, extra: 1 };
        else if (name === "tenantId") changed.tenantId = original.tenantId === null ? "t" : null;
        else changed[name] = `${original[name]}!`;
        entries[index] = changed;
        const verdict = verifyChain(entries, headOf(chain(length)));
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.problem.seq).toBe(index + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it("rejects entries out of seq order", () => {
    const entries = chain(3);
    const swapped = [entries[0]!, entries[2]!, entries[1]!];
    expect(verifyChain(swapped, null)).toMatchObject({ ok: false, problem: { seq: 2, kind: "missing" } });
    expect(verifyChain([entries[0]!, entries[0]!], null)).toMatchObject({
      ok: false,
      problem: { seq: 1, kind: "out-of-order" },
    });
  });
});
