// Audit entries on the wire, and the per-tenant export: who touched a tenant's work and where it ran.
import { z } from "zod";
import type { AuditEntry } from "../../store/records.ts";
import { isoFromMs, isoTimestamp } from "./common.ts";

export const auditEntryWireSchema = z.object({
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
});

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

export const auditExportSchema = z.object({
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
});
