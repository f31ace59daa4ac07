import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import type { AuditEntry } from "../store/records.ts";
import { buildAuditExport } from "./audit-export.ts";

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
