import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import type { AuditEntry } from "../store/records.ts";
import { auditExportJson, buildAuditExport } from "./audit-export.ts";

const FACILITY = facility(
  { id: "no1", jurisdictions: ["NO", "EEA"], racks: 1, nodesPerRack: 2 },
  { id: "ae1", jurisdictions: ["AE", "GCC"], racks: 1, nodesPerRack: 2 },
);
const T0 = Date.parse("2026-12-01T00:00:00Z");

function entry(
  seq: number,
  actor: string,
  action: string,
  objectId: string,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    seq,
    atMs: T0 + seq * 60_000,
    actor,
    action,
    tenantId: "aurora-labs",
    objectType: "job",
    objectId,
    details,
    prevHash: "",
    hash: "",
  };
}

describe("buildAuditExport", () => {
  it("lists each actor's actions and each jurisdiction the tenant's jobs started in", () => {
    const trail = buildAuditExport(
      "aurora-labs",
      [
        entry(1, "key_a", "job.submit", "job-1"),
        entry(2, "scheduler", "job.start", "job-1", { siteId: "no1" }),
        entry(3, "key_a", "job.submit", "job-2"),
        entry(4, "scheduler", "job.start", "job-2", { siteId: "ae1" }),
        entry(5, "key_op", "job.read", "job-2"),
        entry(6, "scheduler", "job.start", "job-1", { siteId: "no1" }),
      ],
      FACILITY,
      T0,
    );
    expect(trail.actors).toEqual([
      {
        actor: "key_a",
        actions: { "job.submit": 2 },
        firstAt: "2026-12-01T00:01:00.000Z",
        lastAt: "2026-12-01T00:03:00.000Z",
      },
      {
        actor: "scheduler",
        actions: { "job.start": 3 },
        firstAt: "2026-12-01T00:02:00.000Z",
        lastAt: "2026-12-01T00:06:00.000Z",
      },
      {
        actor: "key_op",
        actions: { "job.read": 1 },
        firstAt: "2026-12-01T00:05:00.000Z",
        lastAt: "2026-12-01T00:05:00.000Z",
      },
    ]);
    expect(trail.jurisdictions.map((j) => [j.jurisdiction, j.sites, j.jobs, j.starts])).toEqual([
      ["NO", ["no1"], ["job-1"], 2],
      ["EEA", ["no1"], ["job-1"], 2],
      ["AE", ["ae1"], ["job-2"], 1],
      ["GCC", ["ae1"], ["job-2"], 1],
    ]);
    expect(trail.entries).toHaveLength(6);
  });

  it("keeps the jurisdictions recorded at the start for a site the facility no longer has", () => {
    const trail = buildAuditExport(
      "aurora-labs",
      [entry(1, "scheduler", "job.start", "job-1", { siteId: "retired", jurisdictions: ["SE", "EEA"] })],
      FACILITY,
      T0,
    );
    expect(trail.jurisdictions.map((j) => j.jurisdiction)).toEqual(["SE", "EEA"]);
  });
});

describe("auditExportJson", () => {
  const actionArb = fc.constantFrom("job.submit", "job.start", "job.read", "job.cancel");
  const entriesArb = fc.array(
    fc.record({
      actor: fc.constantFrom("key_a", "key_op", "scheduler"),
      action: actionArb,
      job: fc.constantFrom("job-1", "job-2", "job-3"),
      site: fc.constantFrom("no1", "ae1", "retired"),
    }),
    { maxLength: 60 },
  );

  it("streams, page by page, exactly the export built from the whole trail", async () => {
    await fc.assert(
      fc.asyncProperty(entriesArb, fc.array(fc.nat({ max: 7 }), { maxLength: 20 }), async (specs, cuts) => {
        const entries = specs.map((s, i) =>
          entry(i + 1, s.actor, s.action, s.job, { siteId: s.site, jurisdictions: ["SE"] }),
        );
        // Pages of the sizes the cuts say (empty pages too), then the rest.
        const pages: AuditEntry[][] = [];
        let at = 0;
        for (const size of cuts) {
          pages.push(entries.slice(at, at + size));
          at += size;
        }
        pages.push(entries.slice(at));
        const pieces: string[] = [];
        for await (const piece of auditExportJson("aurora-labs", fromArray(pages), FACILITY, T0))
          pieces.push(piece);
        expect(JSON.parse(pieces.join(""))).toEqual(buildAuditExport("aurora-labs", entries, FACILITY, T0));
      }),
    );
  });
});

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
