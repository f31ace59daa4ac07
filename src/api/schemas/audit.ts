// Audit entries on the wire, and the per-tenant export: who touched a tenant's work and where it ran.
import { z } from "zod";
import type { AuditEntry } from "../../store/records.ts";
import { EXAMPLE_AT, EXAMPLE_JOB_ID, isoFromMs, isoTimestamp, withExample } from "./common.ts";

export const auditEntryWireSchema = withExample(
  z.object({
    seq: z.number().int(),
    at: isoTimestamp,
    actor: z.string().describe("API key id, or scheduler / executor / system."),
    action: z.string().describe("Dotted verb, e.g. job.submit, job.start, job.read, policy.change."),
    tenant: z.string().nullable(),
    objectType: z.string(),
    objectId: z.string(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string().describe("SHA-256 over prevHash and this entry: the log is a hash chain."),
  }),
  {
    seq: 48213,
    at: EXAMPLE_AT.submitted,
    actor: "key_01m8kd6wse3q4b9k2n7xv5t0pa",
    action: "job.submit",
    tenant: "aurora-labs",
    objectType: "job",
    objectId: EXAMPLE_JOB_ID,
    details: { gpus: 16 },
    prevHash: "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8",
    hash: "3b8e1f0c2d4a6b8c9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f",
  },
);

export function auditEntryToWire(e: AuditEntry): z.output<typeof auditEntryWireSchema> {
  return {
    seq: e.seq,
    at: isoFromMs(e.atMs),
    actor: e.actor,
    action: e.action,
    tenant: e.tenantId,
    objectType: e.objectType,
    objectId: e.objectId,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export const auditExportSchema = withExample(
  z.object({
    tenant: z.string(),
    generatedAt: isoTimestamp,
    actors: z
      .array(
        z.object({
          actor: z.string(),
          actions: z.record(z.string(), z.number().int()).describe("Entries per action."),
          firstAt: isoTimestamp,
          lastAt: isoTimestamp,
        }),
      )
      .describe("Everyone and everything that acted on the tenant's work or data."),
    jurisdictions: z
      .array(
        z.object({
          jurisdiction: z.string(),
          sites: z.array(z.string()),
          jobs: z.array(z.string()).describe("Jobs that started at a site in this jurisdiction."),
          starts: z.number().int(),
          firstAt: isoTimestamp,
          lastAt: isoTimestamp,
        }),
      )
      .describe("Where the tenant's jobs ran, from the start entries joined to the facility's sites."),
    entries: z.array(auditEntryWireSchema),
  }),
  {
    tenant: "aurora-labs",
    generatedAt: EXAMPLE_AT.now,
    actors: [
      {
        actor: "key_01m8kd6wse3q4b9k2n7xv5t0pa",
        actions: { "job.submit": 85, "job.cancel": 2 },
        firstAt: EXAMPLE_AT.submitted,
        lastAt: EXAMPLE_AT.ended,
      },
    ],
    jurisdictions: [
      {
        jurisdiction: "NO",
        sites: ["no-kvandal"],
        jobs: [EXAMPLE_JOB_ID],
        starts: 1,
        firstAt: EXAMPLE_AT.started,
        lastAt: EXAMPLE_AT.started,
      },
    ],
    entries: [],
  },
);
